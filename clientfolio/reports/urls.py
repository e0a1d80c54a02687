from django.urls import path

from clientfolio.reports.views import surveys

app_name = "reports"

SURVEYS = "projects/<int:pk>/surveys/"

urlpatterns: list = [
    path(SURVEYS, surveys.SurveyListView.as_view(), name="survey_list"),
    path(f"{SURVEYS}send/", surveys.SurveySendView.as_view(), name="survey_send"),
    path(
        f"{SURVEYS}settings/",
        surveys.SurveySettingsView.as_view(),
        name="survey_settings",
    ),
    path("surveys/answer/<str:token>/", surveys.answer, name="survey_answer"),
]
