"""A4 documents: proofs and application copies (Qt layout), printed through CUPS.

``kiosk.documents.cups`` is Qt-free (``lp``/``lpstat``); ``layout`` and ``pdf`` use Qt.
"""
