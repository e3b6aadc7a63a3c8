"""The web front end: `create_app(settings)` builds the FastAPI app; `api` holds the JSON routes."""
