"""Runbook sources, git and the local cache (Qt-free; filled by the sync issue)."""
