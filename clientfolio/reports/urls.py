from django.urls import path

from clientfolio.reports.views import clients, portfolio

app_name = "reports"

urlpatterns = [
    path("reports/portfolio/", portfolio.PortfolioView.as_view(), name="portfolio"),
    path(
        "reports/clients/", clients.ClientAnalysisView.as_view(), name="client_analysis"
    ),
]
