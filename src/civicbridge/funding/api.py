def register(router) -> None:
    """Add this app's collections to the API router (api/urls.py calls it)."""
