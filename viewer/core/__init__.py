"""The app's Qt-free core: documents, rendering, links and the library.

Nothing under this package may import Qt; tests/core/test_layering.py keeps
that rule, so every feature can be used and tested without a display.
"""
