"""The sandbox central platform: a real HTTP server implementing the terminal API.

Only tests, the demo launcher and the ``kiosk central`` commands import this package.
"""
