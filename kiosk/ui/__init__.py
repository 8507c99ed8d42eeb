"""The Qt screens. Everything that imports PySide6 lives below this package or in kiosk.app."""
