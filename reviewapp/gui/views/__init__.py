"""Widgets: the reader and the panels."""
