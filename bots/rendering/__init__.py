"""Renderers of engine values for people: plain text for the terminal."""
