"""The self-service terminal application.

Importing this package imports no Qt: the catalog and identity models and the flows are
plain Python, so the sandbox platform (``central``) and the command line can use them on a
machine without a display. The Qt screens live in ``kiosk.ui`` and are built by
``kiosk.app``.
"""

__version__ = "0.1.0"
