"""Periodic reports: content (numbers, tables, sentences) → docx | xlsx | md | html, and their charts.

``content`` builds a ``ReportContent`` from the register; each ``*_writer`` module only
formats it. Nothing heavy is imported here: the writers import python-docx, openpyxl
and matplotlib inside their functions.
"""
