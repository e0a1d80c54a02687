"""Models of interchange (none yet)."""
