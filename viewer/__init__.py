"""Runbook Viewer: an offline desktop reader for on-call runbooks."""

__version__ = "0.1.0"
APP_NAME = "Runbook Viewer"
APP_ID = "runbook-viewer"
