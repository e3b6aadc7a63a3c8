"""Parsing: normalized lines → a `Plan`.  Pure functions, no I/O, no database."""

from eduplan.parsing.errors import ParseError
from eduplan.parsing.plan import parse_plan

__all__ = ["ParseError", "parse_plan"]
