"""Benchmarks for Nudge: engine, proselint comparison, full server and process cost.

Run everything with `.venv/bin/python -m bench` (see docs/deploy.md and bench/README.md).
"""
