"""All Qt code: windows and widgets over the core, with slow work kept off the UI thread.

Importing this package imports PySide6 and turns off its scan of every later import
(see ``pyside_imports``), so that no module of the window pays for it.
"""

from viewer.ui.pyside_imports import skip_feature_scan

skip_feature_scan()
