"""Page read models (issue 18): one module per page or page family, each a function that reads what
the page shows in one session and returns a keyword-only dataclass — the context of the HTML page,
and the same data as its `.json` twin.  Built on `services.tracking` (and the registry); nothing
here changes state.  The rule for what belongs here: if it exists only because a page shows it
that way, it is a page model; if the API or an export needs it too, it is tracking.
"""
