"""Plain functions behind CLI commands that live outside cli.py (registered there by the CLI)."""
