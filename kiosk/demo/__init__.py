"""The demo launcher: the sandbox platform and emulated devices on loopback, wired to the app.

One of the three places allowed to import ``central`` (with the tests and ``kiosk central``).
``Demo(data_dir, config).start()`` starts the sandbox (``central``), enrols this terminal
with it, starts the ID-card emulator on a pty, the receipt-printer emulator on a TCP port
and — when a pcscd with the vpcd driver listens on 127.0.0.1:35963 — a virtual
social-security card slot; it returns the :class:`kiosk.app.Wiring` that points the app at
them. :meth:`Demo.open_simulator` shows the small window that places and removes cards,
cuts and restores the network, runs the printer out of paper and shows each printed slip.
"""

from kiosk.demo.launcher import Demo

__all__ = ["Demo"]
