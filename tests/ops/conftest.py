import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """The messages asserted are the English ones; the commands speak the terminal's
    language, so the terminal speaks English too (a test switches to Chinese)."""
    monkeypatch.setenv("LANGUAGE", "en_US")
    with translation.override("en"):
        yield
