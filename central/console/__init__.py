"""The clerk's console: a plain HTML, JavaScript and CSS page served at ``/clerk/``
(``central.api.console``), shipped as package data and read through
``importlib.resources`` so an installed (non-editable) sandbox serves it too.

No build step, no framework, nothing fetched from the internet: a hall's browser may have
no route to it, and a page that loads code from elsewhere could be changed under the clerk.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

#: the files the console is made of, by name, with their media types
ASSETS: Final = {"index.html": "text/html; charset=utf-8",
                 "console.js": "text/javascript; charset=utf-8",
                 "console.css": "text/css; charset=utf-8"}


def asset(name: str) -> bytes | None:
    """The bytes of one of :data:`ASSETS`, or None for any other name."""
    if name not in ASSETS:
        return None
    return resources.files(__name__).joinpath(name).read_bytes()
