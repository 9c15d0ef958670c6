"""Symptom triage: extraction from runbooks, the decision tree, authored triage files."""
