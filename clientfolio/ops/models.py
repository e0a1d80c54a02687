"""Models of ops (none yet)."""
