"""The ``kiosk`` command. Nothing here imports Qt except ``kiosk run`` (lazily)."""
