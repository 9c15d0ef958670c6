"""All Qt code: windows and widgets over the core, with slow work kept off the UI thread."""
