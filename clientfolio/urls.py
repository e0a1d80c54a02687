from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from clientfolio import views
from clientfolio.core.schema_view import CachedSchemaView

handler403 = "clientfolio.core.views.error_403"
handler404 = "clientfolio.core.views.error_404"
handler500 = "clientfolio.core.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("clientfolio.core.urls")),
    path("clients/", include("clientfolio.clients.urls")),
    path("projects/", include("clientfolio.projects.urls")),
    path("", include("clientfolio.comms.urls")),
    path("", include("clientfolio.schedule.urls")),
    path("", include("clientfolio.documents.urls")),
    path("", include("clientfolio.finance.urls")),
    path("", include("clientfolio.risks.urls")),
    path("", include("clientfolio.quality.urls")),
    path("", include("clientfolio.closure.urls")),
    path("", include("clientfolio.reports.urls")),
    path("notifications/", include("clientfolio.notifications.urls")),
    path("", include("clientfolio.comments.urls")),
    path("", include("clientfolio.integrations.urls")),
    path("", include("clientfolio.portal.staff_urls")),
    path("portal/", include("clientfolio.portal.urls")),
    path("", include("clientfolio.blueprints.urls")),
    path("", include("clientfolio.interchange.urls")),
    path("", include("clientfolio.ops.urls")),
    path("api/v1/", include("clientfolio.core.api_urls")),
    path("api/v1/", include("clientfolio.clients.api.urls")),
    path("api/v1/", include("clientfolio.projects.api.urls")),
    path("api/v1/", include("clientfolio.comms.api.urls")),
    path("api/v1/", include("clientfolio.schedule.api.urls")),
    path("api/v1/", include("clientfolio.documents.api.urls")),
    path("api/v1/", include("clientfolio.finance.api.urls")),
    path("api/v1/", include("clientfolio.risks.api.urls")),
    path("api/v1/", include("clientfolio.quality.api.urls")),
    path("api/v1/", include("clientfolio.closure.api.urls")),
    path("api/v1/", include("clientfolio.reports.api.urls")),
    path("api/v1/", include("clientfolio.notifications.api.urls")),
    path("api/v1/", include("clientfolio.comments.api.urls")),
    path("api/v1/", include("clientfolio.integrations.api.urls")),
    path("api/v1/portal/", include("clientfolio.portal.api.urls")),
    path("api/v1/", include("clientfolio.blueprints.api.urls")),
    path("api/v1/", include("clientfolio.interchange.api.urls")),
    path("api/v1/", include("clientfolio.ops.api.urls")),
    path("api/schema/", CachedSchemaView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema"),
        name="api_docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api_schema"),
        name="api_redoc",
    ),
]
