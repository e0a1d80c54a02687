"""The reports app's tables: progress reports and their published versions, satisfaction
surveys and their answers (dashboards and search compute from the other apps' tables)."""

from clientfolio.reports.survey_models import (
    Answer,
    Invitation,
    Survey,
    SurveySettings,
)

__all__: list[str] = ["Answer", "Invitation", "Survey", "SurveySettings"]
