"""The machine interface: one JSON envelope, JSON Schema files per output, CSV columns.

Every ``--format json`` output is ``envelope(...)`` around the command's data, and is
described by ``schemas/<name>.schema.json`` (the data part; ``catalogue.full_schema``
adds the envelope). CSV headers are the declared properties of a row, in order.
Imports nothing heavy: quick commands call it.
"""
