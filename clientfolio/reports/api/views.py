"""``GET /api/v1/search/?q=…[&kind=…]``: the search page's groups as JSON (staff only;
client contacts get 404 like every staff endpoint)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from clientfolio.reports.api import serializers
from clientfolio.reports.search import KINDS, search

__all__ = ["SearchView"]

PER_KIND = 5


class SearchView(APIView):
    """Everything the user may see that contains every word of `q`, grouped by kind
    in a fixed order (clients, contacts, projects, tasks, records, documents,
    requirements, changes, risks), each group with its total and first five hits.
    With `kind`, only that group, `page_size` hits of page `page`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("kind", str, enum=list(KINDS)),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={
            200: serializers.SearchResultSerializer,
            400: OpenApiResponse(
                description="`q` empty, blank or over 100 characters, or an unknown "
                '`kind`: the field errors, e.g. `{"q": ["…"]}`.'
            ),
        },
    )
    def get(self, request) -> Response:
        params = serializers.SearchQuerySerializer(data=request.query_params)
        if not params.is_valid():
            raise exceptions.ValidationError(params.errors)
        data = params.validated_data
        kind = data.get("kind")
        if kind:
            size = data["page_size"]
            groups = search(
                request.user,
                data["q"],
                kinds=[kind],
                per_kind=size,
                offset=(data["page"] - 1) * size,
            )
        else:
            groups = search(request.user, data["q"], per_kind=PER_KIND)
        body = {"q": data["q"], "groups": groups}
        return Response(serializers.SearchResultSerializer(body).data)
