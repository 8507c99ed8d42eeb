"""The seed data the terminal and the sandbox platform ship with, as package data.

Layout of :func:`seeds_dir` (docs/catalog.md)::

    catalog/catalog.toml, blocks.toml, bundles.toml, items/<dept>.toml   the service catalog
    residents.toml                                                       the demo residents

Everything reaches these files through :func:`seeds_dir`, never through ``__file__``, so a
non-editable install (``pip install .``, docs/deployment.md) finds them in its
site-packages just as a source checkout does. ``tools/`` (the one-off generator that built
the item files) stays in the source tree and is not installed.

This package imports nothing from the application (import-linter checks it).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["seeds_dir"]


def seeds_dir() -> Path:
    """The directory holding ``catalog/`` and ``residents.toml``, wherever this is installed."""
    root = files(__name__)
    # An ordinary install or a checkout gives a real directory; a zipped one would not, and
    # the catalog loader reads files by path.
    if not isinstance(root, Path):
        raise RuntimeError(f"the seed data is not a directory on disk: {root}")
    return root
