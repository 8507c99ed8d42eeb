"""Device drivers and their emulators: ID-card readers, social-security cards, printers.

No Qt here and nothing from ``kiosk``, ``offline_queue`` or ``central``: drivers report to
observers, and the application moves what they report onto its own threads.
"""
