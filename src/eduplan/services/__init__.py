"""Use cases of eduplan, each a function over the domain; the CLI and the web call these."""
