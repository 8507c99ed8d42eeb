"""The demo launcher: the sandbox platform and emulated devices on loopback, wired to the app.

One of the three places allowed to import ``central`` (with the tests and ``kiosk central``).
"""
