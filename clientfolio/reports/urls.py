from django.urls import path

from clientfolio.reports.views import (
    clients,
    portfolio,
    progress,
    search,
    surveys,
    template,
)

app_name = "reports"

urlpatterns: list = [
    path("search/", search.search_page, name="search"),
]

# Dashboards (issue 13).
urlpatterns += [
    path("reports/portfolio/", portfolio.PortfolioView.as_view(), name="portfolio"),
    path(
        "reports/clients/", clients.ClientAnalysisView.as_view(), name="client_analysis"
    ),
]

# Progress reports (issue 13).
urlpatterns += [
    path(
        "reports/template/",
        template.ReportTemplateView.as_view(),
        name="report_template",
    ),
]
PROGRESS = "projects/<int:pk>/reports/"
PROGRESS_REPORT = f"{PROGRESS}<int:report_pk>/"
urlpatterns += [
    path(PROGRESS, progress.ReportListView.as_view(), name="report_list"),
    path(f"{PROGRESS}draft/", progress.ReportDraftView.as_view(), name="report_draft"),
    path(
        f"{PROGRESS}cadence/",
        progress.ReportScheduleView.as_view(),
        name="report_schedule",
    ),
    path(PROGRESS_REPORT, progress.ReportDetailView.as_view(), name="report_detail"),
    path(
        f"{PROGRESS_REPORT}refresh/",
        progress.ReportRefreshView.as_view(),
        name="report_refresh",
    ),
    path(
        f"{PROGRESS_REPORT}publish/",
        progress.ReportPublishView.as_view(),
        name="report_publish",
    ),
    path(
        f"{PROGRESS_REPORT}reopen/",
        progress.ReportReopenView.as_view(),
        name="report_reopen",
    ),
    path(
        f"{PROGRESS_REPORT}v<int:number>/<str:variant>.pdf",
        progress.ReportPdfView.as_view(),
        name="report_pdf",
    ),
]

# Satisfaction surveys (issue 13).
SURVEYS = "projects/<int:pk>/surveys/"
urlpatterns += [
    path(SURVEYS, surveys.SurveyListView.as_view(), name="survey_list"),
    path(f"{SURVEYS}send/", surveys.SurveySendView.as_view(), name="survey_send"),
    path(
        f"{SURVEYS}settings/",
        surveys.SurveySettingsView.as_view(),
        name="survey_settings",
    ),
    path("surveys/answer/<str:token>/", surveys.answer, name="survey_answer"),
]
