"""Dialogs: the finding form, import report, preferences."""
