from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.reports.api import progress_views, survey_views, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register(
    "progress-reports",
    progress_views.ProgressReportViewSet,
    basename="progress-report",
)
router.register("surveys", survey_views.SurveyViewSet, basename="survey")
router.register(
    "survey-invitations", survey_views.InvitationViewSet, basename="survey-invitation"
)
router.register("survey-answers", survey_views.AnswerViewSet, basename="survey-answer")

urlpatterns: list = [
    path("search/", views.SearchView.as_view(), name="search-api"),
    path(
        "survey-answers/by-token/",
        survey_views.AnswerByTokenView.as_view(),
        name="survey-answer-by-token",
    ),
    *router.urls,
]
