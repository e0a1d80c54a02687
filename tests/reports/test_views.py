"""The Reports tab: list, drafting, the draft page, publishing (and its refusals),
reopening, the PDFs and the portal's pages."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from clientfolio.reports import services
from clientfolio.reports.models import ProgressReport, ProgressReportVersion
from tests.reports.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(plan, project, project_manager):
    report, _created = services.draft_report(
        project, "weekly", today=TODAY, user=project_manager
    )
    return report


def detail_url(report):
    return reverse(
        "reports:report_detail",
        kwargs={"pk": report.project_id, "report_pk": report.pk},
    )


def _week(project, weeks_ago):
    return services.draft_report(
        project, "weekly", today=TODAY - datetime.timedelta(days=7 * weeks_ago)
    )[0]


def test_the_list_costs_the_same_queries_for_one_report_and_for_many(
    project, as_persona, django_assert_num_queries
):
    browser = as_persona("project_manager")
    url = reverse("reports:report_list", kwargs={"pk": project.pk})
    _week(project, 1)
    with django_assert_num_queries(8):  # 2 of them the folder's tab counts
        response = browser.get(url)
    assert response.status_code == 200
    for weeks in range(2, 6):
        _week(project, weeks)
    # the user's project roles and the tab counts now come from the cache
    with django_assert_num_queries(5):
        response = browser.get(url)
    assert response.content.decode().count("cf-report-row") == 5


def test_the_detail_page_shows_the_sections_in_a_fixed_number_of_queries(
    report, as_persona, django_assert_num_queries
):
    browser = as_persona("project_manager")
    # the report, its versions, the folder (with its tab counts), the contacts and the
    # firm's template (logo)
    with django_assert_num_queries(12):
        response = browser.get(detail_url(report))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="percent">52%' in body
    assert "上线验收" in body
    assert "范围冻结" in body
    assert 'id="section-budget"' in body  # the manager sees the finance figures


def test_a_member_does_not_see_the_budget_section(report, as_persona):
    body = as_persona("member").get(detail_url(report)).content.decode()
    assert 'id="section-budget"' not in body
    assert 'id="publish-form"' not in body
    assert 'id="narrative-form"' in body


def test_drafting_twice_opens_the_same_report(project, plan, as_persona):
    browser = as_persona("member")
    url = reverse("reports:report_draft", kwargs={"pk": project.pk})
    first = browser.post(url, {"period": "weekly"})
    second = browser.post(url, {"period": "weekly"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ProgressReport.objects.filter(project=project).count() == 1


def test_the_narrative_is_saved_and_a_stale_edit_gets_409(report, as_persona):
    browser = as_persona("project_manager")
    data = {
        "summary": "本周完成接口评审",
        "next_steps": "开发实现",
        "client_notes": "请确认大屏需求",
        "internal_notes": "测试人手紧张",
        "client_sections": ["progress", "waiting"],
        "version": report.version,
    }
    assert browser.post(detail_url(report), data).status_code == 302
    report.refresh_from_db()
    assert (report.summary, report.client_sections, report.version) == (
        "本周完成接口评审",
        ["progress", "waiting"],
        2,
    )
    stale = browser.post(detail_url(report), {**data, "summary": "旧的"})
    assert stale.status_code == 409
    report.refresh_from_db()
    assert report.summary == "本周完成接口评审"


def test_an_unknown_section_is_refused(report, as_persona):
    response = as_persona("project_manager").post(
        detail_url(report), {"client_sections": ["salaries"], "version": report.version}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.version == 1


def test_a_client_version_with_internal_figures_is_refused(report, as_persona):
    services.save_narrative(
        report,
        summary="",
        next_steps="",
        client_notes="",
        internal_notes="",
        client_sections=["progress", "budget"],
        expected_version=report.version,
    )
    url = reverse(
        "reports:report_publish",
        kwargs={"pk": report.project_id, "report_pk": report.pk},
    )
    response = as_persona("project_manager").post(url, {"version": report.version})
    assert response.status_code == 400
    assert "internal figures" in response.content.decode()
    assert "budget burn" in response.content.decode()
    report.refresh_from_db()
    assert report.is_draft
    assert not ProgressReportVersion.objects.exists()
    assert mail.outbox == []


def test_publishing_freezes_a_version_and_e_mails_client_and_team(
    report, as_persona, contact, django_capture_on_commit_callbacks
):
    url = reverse(
        "reports:report_publish",
        kwargs={"pk": report.project_id, "report_pk": report.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_persona("project_manager").post(
            url, {"version": report.version, "recipients": [contact.pk]}
        )
    assert response.status_code == 302
    version = ProgressReportVersion.objects.get()
    assert version.number == 1
    assert list(version.recipients.all()) == [contact]
    assert "cpi" not in version.client_data["progress"]
    assert "budget" not in version.client_data
    assert version.internal_data["budget"]["hours_total"] == "8.00"
    assert version.client_pdf.read(5) == b"%PDF-"
    to_client = [m for m in mail.outbox if m.to == [contact.email]]
    assert len(to_client) == 1
    assert to_client[0].attachments[0][2] == "application/pdf"
    # The contact has no portal language: the firm's default, Chinese.
    assert "您好" in to_client[0].body
    team = [m for m in mail.outbox if m.to != [contact.email]]
    assert {m.attachments[0][0].endswith("-internal.pdf") for m in team} == {
        True,
        False,
    }  # the manager gets the internal PDF, the member and viewer the client one
    report.refresh_from_db()
    edit = as_persona("project_manager").post(
        detail_url(report), {"summary": "改", "version": report.version}
    )
    assert edit.status_code == 400  # a published report is not edited
    pdf = reverse(
        "reports:report_pdf",
        kwargs={
            "pk": report.project_id,
            "report_pk": report.pk,
            "number": 1,
            "variant": "internal",
        },
    )
    assert as_persona("project_manager").get(pdf).status_code == 200
    assert as_persona("member").get(pdf).status_code == 403


def test_a_published_report_reopens_as_a_draft_and_publishes_version_2(
    report, project_manager
):
    services.publish_report(report, user=project_manager, expected_version=1)
    report.refresh_from_db()
    services.reopen_report(report, expected_version=report.version)
    report.refresh_from_db()
    assert report.is_draft
    second = services.publish_report(
        report, user=project_manager, expected_version=report.version
    )
    assert second.number == 2
    first = ProgressReportVersion.objects.get(number=1)
    with pytest.raises(Exception, match="v1"):
        first.save()


def test_the_portal_shows_the_client_version_only(report, project_manager, contact):
    from tests.conftest import BrowserClient, _signed_in
    from tests.core.factories import UserFactory

    contact.portal_user = UserFactory(client_contact=True, username="zhang.wei")
    contact.save(update_fields=["portal_user"])

    services.save_narrative(
        report,
        summary="进展顺利",
        next_steps="",
        client_notes="",
        internal_notes="测试人手紧张",
        client_sections=["progress", "communication", "changes"],
        expected_version=report.version,
    )
    version = services.publish_report(
        report, user=project_manager, expected_version=report.version
    )
    contact.portal_user.language = "zh-hans"
    contact.portal_user.save(update_fields=["language"])
    browser = _signed_in(contact.portal_user, BrowserClient)
    listing = browser.get(
        reverse("portal:report_list", kwargs={"pk": report.project_id})
    )
    assert listing.status_code == 200
    page = browser.get(
        reverse(
            "portal:report_detail",
            kwargs={"pk": report.project_id, "version_pk": version.pk},
        )
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "进展顺利" in body
    assert "周例会" in body
    assert "内部复盘" not in body  # an internal meeting
    assert "测试人手紧张" not in body
    # plain words for the client, no SPI/CPI; the changes as cards that fit a phone
    assert "SPI" not in body
    assert "CPI" not in body
    assert "进度落后计划 2 个工作日" in body
    assert 'data-changes="cards"' in body
    assert "日期推后 3 个工作日" in body
    assert "CPI" not in body


def test_each_recipient_gets_the_e_mail_and_pdf_in_their_own_language(
    report, project_manager, client_record, django_capture_on_commit_callbacks
):
    """Published by someone reading English: a contact whose portal login reads
    Chinese gets Chinese, one reading English gets English; the portal's PDF follows
    the contact's language too."""
    from tests.conftest import BrowserClient, _signed_in
    from tests.core.factories import UserFactory
    from tests.pdf import pdf_text

    chinese, english = client_record.contacts.order_by("pk")[:2]
    chinese.portal_user = UserFactory(client_contact=True, language="zh-hans")
    chinese.save(update_fields=["portal_user"])
    english.portal_user = UserFactory(client_contact=True, language="en")
    english.save(update_fields=["portal_user"])
    with django_capture_on_commit_callbacks(execute=True):
        version = services.publish_report(
            report,
            user=project_manager,
            recipients=[chinese, english],
            expected_version=report.version,
        )
    assert version.language == "en"
    (to_chinese,) = [m for m in mail.outbox if m.to == [chinese.email]]
    (to_english,) = [m for m in mail.outbox if m.to == [english.email]]
    assert "您好" in to_chinese.body
    assert "进度报告" in to_chinese.subject
    assert to_english.body.startswith("Dear ")
    assert "进度报告" in pdf_text(to_chinese.attachments[0][1])
    assert "Progress report" in pdf_text(to_english.attachments[0][1])
    portal = _signed_in(chinese.portal_user, BrowserClient).get(
        reverse(
            "portal:report_pdf",
            kwargs={"pk": report.project_id, "version_pk": version.pk},
        )
    )
    assert portal.status_code == 200
    assert "进度报告" in pdf_text(b"".join(portal.streaming_content))
