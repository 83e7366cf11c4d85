"""Import-only stub (see tokenizers/__init__.py)."""

from tokenizers import __getattr__  # noqa: F401 - every name is an unusable class
