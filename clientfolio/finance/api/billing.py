from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add this module's API resources to the finance router."""
