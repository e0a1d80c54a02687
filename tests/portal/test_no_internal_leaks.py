"""Internal fields never reach the client: a crawler follows every portal link from the
home page (pages, downloads, exports) and reads every portal API list and detail, as
the client contact, and none of the internal records' marks may appear in any answer.

The marks are planted in what the firm keeps to itself: an internal milestone, an
internal document, a budget line, hourly rates, a risk, an internal comment, a staff
comment on a change request's step, a draft invoice and another client's project."""

import subprocess
from collections import deque
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.core.tokens import issue_token
from clientfolio.projects import change_control
from clientfolio.risks import services as risk_services
from clientfolio.risks.models import Risk
from tests.comments.factories import CommentFactory
from tests.documents.factories import DocumentFactory
from tests.finance.factories import BudgetLineFactory, RateFactory
from tests.pdf import pdf_text
from tests.projects.factories import ChangeRequestFactory
from tests.schedule.factories import TaskFactory

MARKS = {
    "internal milestone": "内部里程碑甲",
    "internal document": "内部文档乙",
    "budget line": "预算说明丙",
    "risk": "内部风险丁",
    "comment": "内部评论戊",
    "staff step comment": "内部备注己",
    "another client's project": "远景数据迁移",
}
RATE = "987.65"  # the cost rate: no page of the portal shows rates


@pytest.fixture
def planted(project, project_manager, member, other_contact):
    """The shared project with something of each kind the client must not see, and
    things the client may see (a client-visible milestone, a shared document, a change
    request awaiting their decision)."""
    from clientfolio.documents.models import Document

    TaskFactory(project=project, name="原型确认", milestone=True)
    internal = TaskFactory(
        project=project,
        name=MARKS["internal milestone"],
        milestone=True,
        is_client_visible=False,
    )
    DocumentFactory(
        project=project,
        title="验收方案（客户版）",
        created_by=project_manager,
        visibility=Document.Visibility.SHARED,
    )
    DocumentFactory(
        project=project, title=MARKS["internal document"], created_by=project_manager
    )
    BudgetLineFactory(project=project, description=MARKS["budget line"])
    RateFactory(project=project, user=member, cost_rate=Decimal(RATE))
    risk_services.create_risk(
        Risk(
            project=project,
            title=MARKS["risk"],
            category="technical",
            probability=3,
            impact=4,
            owner=project_manager,
        ),
        user=project_manager,
    )
    CommentFactory(author=project_manager, target=internal, body=MARKS["comment"])
    change = ChangeRequestFactory(project=project, title="增加报表模块")
    change_control.transition(change, "evaluating", project_manager)
    change_control.transition(
        change, "awaiting_client", project_manager, comment=MARKS["staff step comment"]
    )
    return project


def _texts(response) -> str:
    """What a person could read in the answer: the body, or a PDF's text."""
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if body.startswith(b"%PDF"):
        try:
            return pdf_text(body)
        except subprocess.CalledProcessError:
            # the factories' uploads are a few bytes that only start like a PDF
            return body.decode("latin-1")
    return body.decode("utf-8", errors="replace")


def _links(html: str, base: str) -> set[str]:
    import re

    found = set()
    for href in re.findall(r'href="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        if urlsplit(url).path.startswith("/portal/"):
            found.add(
                urlsplit(url).path
                + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
            )
    return found


def test_no_portal_page_or_download_shows_anything_internal(planted, portal):
    # when the client follows every link of the portal from its home page
    seen, queue, pages = set(), deque([reverse("portal:home")]), []
    while queue and len(seen) < 150:
        url = queue.popleft()
        if url in seen or "/preview/" in url:
            continue
        seen.add(url)
        response = portal.get(url)
        assert response.status_code == 200, url
        text = _texts(response)
        pages.append(url)
        # then no answer shows anything the firm keeps to itself
        for what, mark in MARKS.items():
            assert mark not in text, f"{what} on {url}"
        assert RATE not in text, url
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(_links(text, url) - seen)

    # and the crawl reached the project, its timeline export and a shared download
    assert any("/projects/" in page for page in pages)
    assert any("timeline.pdf" in page for page in pages)
    assert any("/files/" in page for page in pages)


def _portal_api_lists() -> list[str]:
    """The list URL of every viewset of the portal's API."""
    from clientfolio.portal.api.urls import router

    return [
        reverse(f"portal_api:{basename}-list")
        for _prefix, viewset, basename in router.registry
        if hasattr(viewset, "list")
    ]


def test_no_portal_api_answer_shows_anything_internal(planted, portal_user):
    # given the client's integration signed with a token
    _token, key = issue_token(portal_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # when it reads every list of the portal API and every row's detail
    lists = _portal_api_lists()
    assert lists
    for url in lists:
        response = api.get(url)
        assert response.status_code == 200, url
        urls = [url]
        for row in response.json().get("results", []):
            urls.append(f"{url}{row['id']}/")
        for each in urls:
            text = api.get(each).content.decode()
            # then nothing internal is in any answer
            for what, mark in MARKS.items():
                assert mark not in text, f"{what} in {each}"
            assert RATE not in text, each
