"""Exporters: the PDF brief (reportlab) and, later, tables and reference files."""
