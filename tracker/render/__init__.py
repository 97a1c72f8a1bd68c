"""Presentation: rows and report frames as text tables, CSV and JSON (``text``, ``frames``),
xlsx (``xlsx``) and the monthly chart (``chart``). Every CSV or spreadsheet cell that would
start a formula is neutralised here, on the way out, never in the stored data.
"""
