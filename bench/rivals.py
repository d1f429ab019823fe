"""proselint, the prose linter people would otherwise reach for, on the same drafts."""

from __future__ import annotations

from collections.abc import Callable


def proselint_linter() -> tuple[str, Callable[[str], object]] | None:
    """(version, lint function) for whichever proselint API is installed, or None if absent."""
    try:
        import proselint
    except ImportError:
        return None
    version = getattr(proselint, "__version__", None) or _version()
    try:  # proselint >= 0.16: a check registry and LintFile
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile

        registry = CheckRegistry()
        if not registry.checks:
            registry.register_many(__register__)
        return version, lambda text: LintFile("bench", text).lint()
    except ImportError:
        pass
    from proselint.tools import lint  # proselint < 0.16

    return version, lint


def _version() -> str:
    from importlib.metadata import version

    return version("proselint")
