"""Models of blueprints (none yet)."""
