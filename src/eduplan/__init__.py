"""eduplan: read Chinese education bureau plans into structured, trackable work."""

__version__ = "0.1.0"
