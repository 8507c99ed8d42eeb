"""Video help from a clerk: the terminal's call engine, free of Qt.

The engine (:class:`assist.engine.CallEngine`) places a call through the platform's
signalling (:class:`assist.signalling.Signalling`, which ``kiosk.assist_link`` implements
over the platform client), runs the WebRTC peer connection on a thread of its own with its
own asyncio loop, and reports what happens as the typed events of :mod:`assist.events`.
Local video comes from a :class:`assist.frames.VideoSource` (frames the Qt side pushes, a
camera read through PyAV, or a test pattern).

Importing ``assist`` or ``assist.engine`` imports neither aiortc nor PyAV: they cost
start-up time every kiosk pays and only a call needs them, so :mod:`assist.webrtc` (which
does) is imported on the call's thread when a call starts. This package builds on
``civic`` alone (import-linter checks it) and never imports Qt.
"""
