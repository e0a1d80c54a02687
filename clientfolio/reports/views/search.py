"""The search page (``/search/?q=…``): every kind's first hits, or one kind's hits
page by page (``&kind=tasks``)."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clientfolio.reports.forms import SearchForm
from clientfolio.reports.search import COUNT_CAP, search

__all__ = ["PER_KIND", "PER_PAGE", "search_page"]

PER_KIND = 5
PER_PAGE = 20


def _one_kind(request: HttpRequest, query: str, kind: str) -> tuple[list, Page]:
    """The requested page of one kind's hits: the total comes with the hits, so the
    page number is checked against the group the search returns."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    number = min(number, COUNT_CAP // PER_PAGE)
    offset = (number - 1) * PER_PAGE
    groups = search(request.user, query, kinds=[kind], per_kind=PER_PAGE, offset=offset)
    if not groups[0].hits and offset:
        groups = search(request.user, query, kinds=[kind], per_kind=PER_PAGE)
        number = 1
    # The hits of the page are already loaded: page over their positions only.
    paginator: Paginator = Paginator(range(groups[0].total), PER_PAGE)
    return groups, Page(groups[0].hits, paginator.validate_number(number), paginator)


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "groups": [], "page": None, "kind": ""}
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        kind = form.cleaned_data["kind"]
        context.update(query=query, kind=kind)
        if kind:
            context["groups"], context["page"] = _one_kind(request, query, kind)
        else:
            context["groups"] = search(request.user, query, per_kind=PER_KIND)
        context["found"] = any(group.total for group in context["groups"])
        context["missing"] = [group for group in context["groups"] if not group.total]
    return render(request, "reports/search.html", context)
