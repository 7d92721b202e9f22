"""The 一表通 domain: template model, XLSForm loader, expression language, validation and tags.

Pure Python: nothing here imports Qt, opens a network connection or a database.
"""
