"""Readers: the bytes of a txt/md, docx, pdf or html file → normalized lines for the parser.

The only code in eduplan that knows file formats.  Public API:

- ``read_bytes(data, filename=None) -> list[str]``: detect the format from the content (the file
  name is only a hint), extract raw lines, normalize them (`normalize.normalize_lines`).
- ``read_path(path) -> list[str]``: the same for a file on disk (size checked before reading).
- ``ReadError``: raised for anything unreadable, with a one-line Chinese message saying what to do.
"""
