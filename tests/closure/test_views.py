"""Closure pages: checklist, closing through the form, lessons, search, handover,
evaluation and its PDF; list pages in a constant number of queries."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.projects.models import Project
from tests.clients.factories import ClientFactory, ContactFactory
from tests.closure.factories import EvaluationFactory, LessonFactory
from tests.pdf import pdf_fonts, pdf_page_png, pdf_text
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def url(name, project, **kwargs):
    return reverse(f"closure:{name}", kwargs={"pk": project.pk, **kwargs})


def test_the_checklist_shows_each_unmet_item_with_a_link(project, blockers, as_persona):
    response = as_persona("project_manager").get(url("checklist", project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "All deliverables accepted by the client" in body
    assert 'data-status="not_met"' in body
    assert reverse("quality:deliverable_list", args=[project.pk]) in body
    assert 'id="close-project"' in body


def test_a_member_sees_the_checklist_but_no_close_form(project, as_persona):
    response = as_persona("member").get(url("checklist", project))
    assert response.status_code == 200
    assert 'id="close-project"' not in response.content.decode()


def test_closing_with_unmet_items_without_override_is_refused_with_a_message(
    project, blockers, as_persona
):
    # when the manager submits the close form without ticking the override
    response = as_persona("project_manager").post(
        url("close", project), {"follow_up_days": "30"}
    )

    # then the page says why, and nothing changed
    assert response.status_code == 400
    assert "8 unmet item(s)" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.PROPOSED
    assert not Closure.objects.exists()


def test_closing_with_override_and_reason_through_the_form(
    project, blockers, as_persona
):
    response = as_persona("project_manager").post(
        url("close", project),
        {"override": "on", "reason": "客户要求提前结项", "follow_up_days": "10"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.COMPLETED
    closure = Closure.objects.get(project=project)
    assert closure.overridden
    # and the page now shows the record with the reason
    page = as_persona("project_manager").get(url("checklist", project))
    body = page.content.decode()
    assert "客户要求提前结项" in body
    assert 'id="reopen-project"' in body


def test_reopening_through_the_form(project, project_manager, as_persona):
    from clientfolio.closure import services

    services.close_project(project, user=project_manager)
    response = as_persona("project_manager").post(
        url("reopen", project), {"reason": "补充验收"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE


@pytest.mark.parametrize("rows", [1, 20])
def test_the_checklist_takes_the_same_queries_for_1_and_20_records(
    project, project_manager, as_persona, django_assert_max_num_queries, rows
):
    from tests.documents.factories import DocumentFactory

    for n in range(rows):
        LessonFactory(project=project)
        DocumentFactory(
            project=project,
            title=f"文档{n}",
            visibility="shared",
            created_by=project_manager,
        )
    browser = as_persona("project_manager")
    with django_assert_max_num_queries(26):
        response = browser.get(url("checklist", project))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_the_lesson_list_takes_the_same_queries_for_1_and_20_lessons(
    project, as_persona, django_assert_num_queries, rows
):
    for _n in range(rows):
        LessonFactory(project=project, tags=["范围", "沟通"])
    browser = as_persona("member")
    with django_assert_num_queries(10):  # 2 of them the folder's tab counts
        response = browser.get(url("lesson_list", project))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


def test_a_member_adds_and_edits_a_lesson(project, member, as_persona):
    browser = as_persona("member")
    response = browser.post(
        url("lesson_create", project),
        {
            "kind": "went_wrong",
            "title": "接口文档滞后",
            "text": "晚两周",
            "tags": "接口，文档",
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.author == member
    assert sorted(t.name for t in lesson.tags.all()) == ["接口", "文档"]
    response = browser.post(
        url("lesson_edit", project, lesson_pk=lesson.pk),
        {
            "kind": "suggestion",
            "title": "接口先行",
            "text": "",
            "tags": "",
            "version": 1,
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title, lesson.version) == ("接口先行", 2)


def test_a_stale_lesson_edit_is_a_conflict(project, as_persona):
    lesson = LessonFactory(project=project)
    response = as_persona("member").post(
        url("lesson_edit", project, lesson_pk=lesson.pk),
        {"kind": "suggestion", "title": "接口先行", "version": 7},
    )
    assert response.status_code == 409
    lesson.refresh_from_db()
    assert lesson.version == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_the_lesson_search_takes_the_same_queries_for_1_and_20_hits(
    project, as_persona, django_assert_num_queries, rows
):
    for n in range(rows):
        LessonFactory(project=project, title=f"联调经验{n}", tags=["集成"])
    LessonFactory(project=project, title="无关")
    browser = as_persona("member")
    with django_assert_num_queries(6):
        response = browser.get(reverse("closure:lesson_search") + "?q=联调")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_the_lesson_search_filters_by_kind_tag_and_client(project, as_persona):
    LessonFactory(project=project, title="做得好的", kind="went_well", tags=["范围"])
    LessonFactory(project=project, title="做错的", kind="went_wrong", tags=["沟通"])
    browser = as_persona("member")

    def titles(query):
        response = browser.get(reverse("closure:lesson_search") + query)
        return [lesson.title for lesson in response.context["page"].object_list]

    assert titles("?kind=went_wrong") == ["做错的"]
    assert titles("?tag=范围") == ["做得好的"]
    assert len(titles(f"?client={project.client_id}")) == 2
    assert titles(f"?client={ClientFactory().pk}") == []


def test_the_search_shows_only_lessons_of_the_users_projects(project, as_persona):
    LessonFactory(project=ProjectFactory(), title="别人的项目教训")
    LessonFactory(project=project, title="自己的项目教训")
    response = as_persona("member").get(reverse("closure:lesson_search"))
    body = response.content.decode()
    assert "自己的项目教训" in body
    assert "别人的项目教训" not in body


def test_the_new_projects_overview_shows_lessons_from_the_same_client(
    project, project_manager, client_record, as_persona
):
    earlier = ProjectFactory(client=client_record, manager=project_manager)
    LessonFactory(project=earlier, title="上次的教训：尽早确认接口")
    response = as_persona("project_manager").get(
        reverse("projects:project_detail", args=[project.pk])
    )
    body = response.content.decode()
    assert 'id="earlier-lessons"' in body
    assert "上次的教训：尽早确认接口" in body


def test_handover_to_another_clients_contact_is_refused(project, as_persona):
    stranger = ContactFactory(client=ClientFactory(name="另一家公司"), name="陌生人")
    response = as_persona("project_manager").post(
        url("handover_edit", project),
        {"handed_over_on": "2026-06-01", "recipients": [stranger.pk]},
    )
    assert response.status_code == 400
    assert "is not a contact of this project" in response.content.decode()
    assert not Handover.objects.exists()


def test_the_manager_records_the_handover(project, client_record, blockers, as_persona):
    contact = client_record.contacts.get(name="张伟")
    browser = as_persona("project_manager")
    assert browser.get(url("handover_edit", project)).status_code == 200
    response = browser.post(
        url("handover_edit", project),
        {
            "handed_over_on": "2026-06-01",
            "recipients": [contact.pk],
            "documents": [blockers["document"].pk],
            "deliverables": [blockers["deliverable"].pk],
            "training": "两次管理员培训",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get(project=project)
    assert list(handover.recipients.all()) == [contact]
    page = browser.get(url("handover", project)).content.decode()
    assert "张伟" in page
    assert "运维手册" in page


def test_a_satisfaction_of_6_is_refused_with_a_message(project, as_persona):
    response = as_persona("project_manager").post(
        url("evaluation_edit", project), {"satisfaction": "6", "narrative": "好"}
    )
    assert response.status_code == 400
    assert "from 1 (very unhappy) to 5" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_evaluation_page_says_no_data_and_renders_the_narrative_safely(
    project, as_persona
):
    EvaluationFactory(
        project=project, satisfaction=5, narrative="**很好**<script>alert(1)</script>"
    )
    body = as_persona("viewer").get(url("evaluation", project)).content.decode()
    assert "<strong>很好</strong>" in body
    assert "<script>alert(1)" not in body
    assert "no data" in body


def test_the_evaluation_pdf_is_an_attachment_with_chinese_text(project, as_persona):
    EvaluationFactory(
        project=project, satisfaction=4, narrative="项目按期交付，客户满意。"
    )
    response = as_persona("viewer").get(
        url("evaluation_pdf", project), headers={"accept-language": "zh-hans"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    assert [f["embedded"] for f in pdf_fonts(response.content)] == ["yes"]
    text = pdf_text(response.content)
    assert project.name in text
    assert "项目按期交付" in text
    assert "项目总评" in text
    # (CJK wrapping drops the spaces around the slash)
    assert "4/5" in text.replace(" ", "")


def test_the_english_evaluation_pdf_embeds_its_font_and_reads_back_intact(
    project, as_persona
):
    # given an English narrative with words and separators poppler used to break
    EvaluationFactory(
        project=project,
        satisfaction=5,
        narrative="Customer signed off UAT · on time · within budget.",
    )
    response = as_persona("viewer").get(url("evaluation_pdf", project))
    assert response.status_code == 200

    # then the font is embedded, the words read back whole, and poppler draws the page
    assert all(f["embedded"] == "yes" for f in pdf_fonts(response.content))
    text = pdf_text(response.content)
    assert "Final evaluation" in text
    assert "Customer signed off UAT · on time · within budget." in text
    assert project.name in text
    picture = Image.open(io.BytesIO(pdf_page_png(response.content))).convert("L")
    assert picture.getextrema()[0] < 100
    assert sum(picture.histogram()[:128]) > 300  # text and bars, not a stray dot


def test_closing_an_already_closed_project_says_so(
    project, project_manager, as_persona
):
    from clientfolio.closure import services

    services.close_project(project, user=project_manager)
    response = as_persona("project_manager").post(
        url("close", project), {"follow_up_days": "30"}, follow=True
    )
    assert "This project is already closed." in response.content.decode()
    assert Closure.objects.count() == 1
