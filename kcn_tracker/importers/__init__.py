"""Importers: spreadsheet updates (``tabular``) and GIS boundaries (``geometry``); nothing heavy at import."""
