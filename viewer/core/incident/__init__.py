"""Incidents: an append-only timeline of what was done, kept as it happens, handed over after.

``log`` writes and reads one incident's events (one JSON line each, flushed
and fsync'd); ``store`` knows where incidents live and which one is active,
shared by the window and the command line; ``timeline`` replays events into
what happened; ``steps`` gives each runbook step an identity that survives
edits; ``export`` writes the hand-over (Markdown, JSON, Slack).
"""
