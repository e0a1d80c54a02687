"""The reports app's tables: progress reports and their published versions, satisfaction
surveys and their answers (dashboards and search compute from the other apps' tables)."""

__all__: list[str] = []
