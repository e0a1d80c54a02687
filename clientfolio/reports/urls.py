from django.urls import path

from clientfolio.reports.views import portfolio

app_name = "reports"

urlpatterns = [
    path("reports/portfolio/", portfolio.PortfolioView.as_view(), name="portfolio"),
]
