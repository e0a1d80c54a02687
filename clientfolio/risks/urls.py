from django.urls import path

from clientfolio.risks.views import issues, portfolio, risks

app_name = "risks"

PROJECT = "projects/<int:pk>/risks/"
RISK = f"{PROJECT}<int:risk_pk>/"
ISSUE = f"{PROJECT}issues/<int:issue_pk>/"

urlpatterns = [
    path("risks/", portfolio.PortfolioView.as_view(), name="portfolio"),
    path(PROJECT, risks.RiskListView.as_view(), name="risk_list"),
    path(f"{PROJECT}new/", risks.RiskCreateView.as_view(), name="risk_create"),
    path(f"{PROJECT}settings/", risks.ThresholdsView.as_view(), name="settings"),
    path(RISK, risks.RiskDetailView.as_view(), name="risk_detail"),
    path(f"{RISK}edit/", risks.RiskEditView.as_view(), name="risk_edit"),
    path(f"{RISK}reassess/", risks.RiskReassessView.as_view(), name="risk_reassess"),
    path(f"{RISK}delete/", risks.RiskDeleteView.as_view(), name="risk_delete"),
    path(f"{PROJECT}issues/", issues.IssueListView.as_view(), name="issue_list"),
    path(
        f"{PROJECT}issues/new/", issues.IssueCreateView.as_view(), name="issue_create"
    ),
    path(ISSUE, issues.IssueDetailView.as_view(), name="issue_detail"),
    path(f"{ISSUE}edit/", issues.IssueEditView.as_view(), name="issue_edit"),
]
