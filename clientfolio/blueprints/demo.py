"""Demo templates: the built-in ones, so that a demo user can start a project from a
template at once."""

from datetime import date

from clientfolio.blueprints import builtin
from clientfolio.core.models import User

__all__ = ["load"]


def load(today: date) -> dict[str, int]:
    """Install the built-in templates (owned by the demo administrator)."""
    admin = User.objects.filter(username="admin").first()
    return {"project templates": builtin.install(admin)}
