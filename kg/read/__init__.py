"""Stage 1, reading: files and folders (txt, md, html, pdf, csv) become `Document`s with their text,
metadata and structure, with a one-line `DocumentError` for anything unreadable.
"""
