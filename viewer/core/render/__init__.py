"""Turning runbook text into a Document: one front end per markup, shared HTML pieces."""
