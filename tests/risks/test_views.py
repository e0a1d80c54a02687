"""Risk pages: the register with its matrix, the portfolio matrix, a risk's page with its
trend, forms with bad input, stale edits, the issue log, and the overview / My work blocks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.risks import services
from clientfolio.risks.models import Issue, Risk


@pytest.fixture
def register(make_risk, member):
    """Five open risks over three cells, one past its review date, and a closed one."""
    today = timezone.localdate()
    return [
        make_risk("核心人员离职", probability=2, impact=4, owner=member),
        make_risk("需求变更频繁", probability=4, impact=3, review_on=today - timedelta(days=3), owner=member),
        make_risk("接口延期", probability=4, impact=3),
        make_risk("性能不达标", probability=5, impact=5),
        make_risk("预算超支", probability=1, impact=2),
        make_risk("已关闭的风险", probability=5, impact=5, status="closed"),
    ]  # fmt: skip


def test_the_register_lists_open_risks_beside_the_matrix(
    register, as_persona, project, django_assert_max_num_queries
):
    # when a viewer opens the Risks tab
    browser = as_persona("viewer")
    with django_assert_max_num_queries(22):
        response = browser.get(reverse("risks:risk_list", args=[project.pk]))

    # then the open risks are listed, highest score first, and the matrix counts them
    assert response.status_code == 200
    rows = response.context["risks"]
    assert [r.title for r in rows][:2] == ["性能不达标", "需求变更频繁"]
    assert "已关闭的风险" not in response.content.decode()
    counts = {
        (c["cell"].probability, c["cell"].impact): c["cell"].count
        for row in response.context["matrix_rows"]
        for c in row["cells"]
    }
    assert counts[(4, 3)] == 2
    assert counts[(5, 5)] == 1
    assert counts[(1, 1)] == 0
    assert sum(counts.values()) == 5
    assert response.context["overdue_count"] == 1
    assert 'id="overdue-reviews"' in response.content.decode()
    # a viewer sees no way to add a risk
    assert (
        reverse("risks:risk_create", args=[project.pk]) not in response.content.decode()
    )


def test_a_matrix_cell_filters_the_register(register, as_persona, project):
    url = reverse("risks:risk_list", args=[project.pk]) + "?probability=4&impact=3"
    response = as_persona("member").get(url)
    assert {r.title for r in response.context["risks"]} == {"需求变更频繁", "接口延期"}
    assert 'id="cell-filter"' in response.content.decode()


def test_the_register_filters_by_level_and_status(register, as_persona, project):
    url = reverse("risks:risk_list", args=[project.pk])
    critical = as_persona("member").get(url + "?level=critical")
    assert [r.title for r in critical.context["risks"]] == ["性能不达标"]
    closed = as_persona("member").get(url + "?status=closed")
    assert [r.title for r in closed.context["risks"]] == ["已关闭的风险"]


def test_the_register_partial_for_htmx(register, as_persona, project):
    response = as_persona("member").get(
        reverse("risks:risk_list", args=[project.pk]), headers={"hx-request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="card" id="risk-table">')


def test_the_portfolio_matrix_counts_every_visible_project(
    register, as_persona, project, client_record, admin, django_assert_max_num_queries
):
    # given a risk in a project the member is not on
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project

    other = project_services.create_project(
        Project(name="另一个项目", client=client_record, manager=admin), user=admin
    )
    services.create_risk(
        Risk(project=other, title="别处的风险", probability=4, impact=3), user=admin
    )

    # when the member opens the portfolio matrix (one GROUP BY for the matrix)
    browser = as_persona("member")
    with django_assert_max_num_queries(8):
        mine = browser.get(reverse("risks:portfolio"))
    everyone = as_persona("admin").get(reverse("risks:portfolio"))

    # then they count only their projects' open risks; the admin counts all
    assert mine.context["matrix_total"] == 5
    assert everyone.context["matrix_total"] == 6


def test_a_portfolio_cell_lists_its_risks(
    register, as_persona, django_assert_max_num_queries
):
    url = reverse("risks:portfolio") + "?probability=4&impact=3"
    browser = as_persona("member")
    with django_assert_max_num_queries(8):
        response = browser.get(url, headers={"hx-request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="card" id="cell-risks">')
    assert "需求变更频繁" in body
    assert "接口延期" in body
    assert "性能不达标" not in body


def test_the_portfolio_filters_by_project_status_and_category(register, as_persona):
    url = reverse("risks:portfolio")
    assert (
        as_persona("admin")
        .get(url + "?project_status=completed")
        .context["matrix_total"]
        == 0
    )
    Risk.objects.filter(title="预算超支").update(category="cost")
    assert as_persona("admin").get(url + "?category=cost").context["matrix_total"] == 1


def test_a_client_contact_cannot_open_the_portfolio(as_persona):
    assert as_persona("client_user").get(reverse("risks:portfolio")).status_code == 404


def test_the_risk_page_has_its_trend(
    make_risk, member, as_persona, project, django_assert_max_num_queries
):
    # given a risk reassessed twice
    risk = make_risk(probability=4, impact=4)
    services.reassess(risk, 3, 4, user=member)
    services.reassess(risk, 2, 3, user=member, note="缓解措施生效")

    # when the member opens it
    browser = as_persona("member")
    with django_assert_max_num_queries(25):
        response = browser.get(reverse("risks:risk_detail", args=[project.pk, risk.pk]))

    # then the trend has every assessment in order, and the table shows them newest first
    assert response.status_code == 200
    points = response.context["trend_chart"]["points"]
    assert [p["score"] for p in points] == [16, 12, 6]
    assert response.context["trend_chart"]["thresholds"] == [4, 9, 16]
    body = response.content.decode()
    assert 'id="risk-trend-data"' in body
    assert "缓解措施生效" in body


def test_adding_a_risk_through_the_form(as_persona, project, member, task):
    response = as_persona("member").post(
        reverse("risks:risk_create", args=[project.pk]),
        {
            "title": "联调环境不稳定",
            "category": "technical",
            "probability": "4",
            "impact": "5",
            "status": "identified",
            "strategy": "mitigate",
            "owner": member.pk,
            "tasks": [task.pk],
            "note": "首次评估",
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "risks:risk_detail", args=[project.pk, risk.pk]
    )
    assert (risk.score, risk.level, list(risk.tasks.all())) == (20, "critical", [task])
    assert risk.assessments.get().note == "首次评估"


@pytest.mark.parametrize("value", ["0", "6", "x"])
def test_a_rating_off_the_scale_is_an_inline_error(as_persona, project, value):
    response = as_persona("member").post(
        reverse("risks:risk_create", args=[project.pk]),
        {"title": "风险", "category": "technical", "probability": value, "impact": "3",
         "status": "identified", "strategy": "mitigate"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors["probability"] == [
        "Choose a rating from 1 to 5."
    ]
    assert "Nothing was saved" in response.content.decode()
    assert not Risk.objects.exists()


def test_an_owner_off_the_team_or_a_foreign_task_is_an_inline_error(
    as_persona, project, staff, project_manager, client_record
):
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    other = project_services.create_project(
        Project(name="另一个项目", client=client_record, manager=project_manager),
        user=project_manager,
    )
    foreign = schedule_services.create_task(Task(project=other, name="别处的任务"))
    response = as_persona("member").post(
        reverse("risks:risk_create", args=[project.pk]),
        {"title": "风险", "category": "technical", "probability": "3", "impact": "3",
         "status": "identified", "strategy": "mitigate", "owner": staff.pk,
         "tasks": [foreign.pk]},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["owner"] == ["The owner must be on the project team."]
    assert errors["tasks"] == ["Linked tasks must belong to this project."]
    assert not Risk.objects.exists()


def test_a_stale_edit_is_409_and_keeps_the_input(
    make_risk, as_persona, project, member
):
    # given a risk someone saved after the member loaded it
    risk = make_risk()
    risk.title = "别人改过"
    services.update_risk(risk, 1, user=member)

    # when the member saves on version 1
    response = as_persona("member").post(
        reverse("risks:risk_edit", args=[project.pk, risk.pk]),
        {"title": "我的标题", "category": "technical", "probability": "5", "impact": "3",
         "status": "identified", "strategy": "mitigate", "version": "1"},
    )  # fmt: skip

    # then nothing is saved, the differences are shown and the input kept
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="conflict"' in body
    assert "我的标题" in body
    risk.refresh_from_db()
    assert (risk.title, risk.probability) == ("别人改过", 3)


def test_marking_a_risk_occurred_offers_an_issue(
    make_risk, as_persona, project, member
):
    # given an open risk
    risk = make_risk("第三方接口延期", owner=member, probability=3, impact=4)

    # when the member marks it occurred
    response = as_persona("member").post(
        reverse("risks:risk_edit", args=[project.pk, risk.pk]),
        {"title": risk.title, "category": "external", "probability": "3", "impact": "4",
         "status": "occurred", "strategy": "mitigate", "owner": member.pk,
         "version": risk.version},
    )  # fmt: skip

    # then they are taken to a new issue prefilled from the risk
    issue_url = reverse("risks:issue_create", args=[project.pk]) + f"?risk={risk.pk}"
    assert response.status_code == 302
    assert response["Location"] == issue_url
    form = as_persona("member").get(issue_url).context["form"]
    assert form.initial["source_risk"] == risk.pk
    assert form.initial["title"] == "第三方接口延期"
    assert form.initial["severity"] == "high"

    # and saving it opens the issue linked to the risk
    response = as_persona("member").post(
        reverse("risks:issue_create", args=[project.pk]),
        {"title": "第三方接口延期", "severity": "high", "status": "open",
         "source_risk": risk.pk, "owner": member.pk},
    )  # fmt: skip
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert issue.source_risk == risk


def test_reassessing_from_the_risk_page(make_risk, as_persona, project):
    risk = make_risk(probability=4, impact=4)
    url = reverse("risks:risk_reassess", args=[project.pk, risk.pk])
    response = as_persona("member").post(
        url, {"probability": "2", "impact": "4", "note": "已缓解", "version": "1"}
    )
    assert response.status_code == 302
    assert list(risk.assessments.values_list("score", flat=True)) == [16, 8]

    bad = as_persona("member").post(
        url, {"probability": "6", "impact": "4", "version": "2"}
    )
    assert bad.status_code == 400
    stale = as_persona("member").post(
        url, {"probability": "1", "impact": "1", "version": "1"}
    )
    assert stale.status_code == 409
    assert risk.assessments.count() == 2


def test_thresholds_page_relevels(make_risk, as_persona, project):
    risk = make_risk(probability=3, impact=3)
    url = reverse("risks:settings", args=[project.pk])
    bad = as_persona("project_manager").post(
        url, {"low_max": "9", "medium_max": "4", "high_max": "16"}
    )
    assert bad.status_code == 400
    assert "must rise" in bad.content.decode()
    ok = as_persona("project_manager").post(
        url, {"low_max": "3", "medium_max": "8", "high_max": "15"}
    )
    assert ok.status_code == 302
    risk.refresh_from_db()
    assert risk.level == "high"


def test_the_issue_log(
    make_risk, as_persona, project, project_manager, django_assert_max_num_queries
):
    risk = make_risk()
    for n in range(3):
        services.open_issue(
            project, title=f"问题 {n}", user=project_manager, source_risk=risk
        )
    browser = as_persona("viewer")
    with django_assert_max_num_queries(20):
        response = browser.get(reverse("risks:issue_list", args=[project.pk]))
    assert len(response.context["issues"]) == 3
    assert response.context["status_counts"][0]["count"] == 3


def test_editing_an_issue_resolves_it(as_persona, project, project_manager):
    issue = services.open_issue(project, title="联调失败", user=project_manager)
    url = reverse("risks:issue_edit", args=[project.pk, issue.pk])
    response = as_persona("member").post(
        url,
        {"title": "联调失败", "severity": "medium", "status": "resolved",
         "root_cause": "证书过期", "resolution": "更新证书", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.root_cause) == ("resolved", "证书过期")
    stale = as_persona("member").post(
        url, {"title": "x", "severity": "low", "status": "open", "version": "1"}
    )
    assert stale.status_code == 409


def test_overdue_reviews_show_in_the_overview_and_my_work(
    register, as_persona, project
):
    overview = as_persona("member").get(
        reverse("projects:project_detail", args=[project.pk])
    )
    assert 'id="overdue-risk-reviews"' in overview.content.decode()
    assert "需求变更频繁" in overview.content.decode()

    home = as_persona("member").get(reverse("home")).content.decode()
    assert 'id="risks-to-review"' in home
    assert "需求变更频繁" in home
    # the manager owns none of the overdue risks
    assert (
        "需求变更频繁"
        not in as_persona("project_manager").get(reverse("home")).content.decode()
    )


HTMX_KINDS = {
    "page": ({}, False),
    "htmx": ({"HX-Request": "true"}, True),
    "back": ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
}


@pytest.mark.parametrize("kind", list(HTMX_KINDS))
@pytest.mark.parametrize(
    ("name", "page", "partial", "queries"),
    [
        ("risk_list", "risks/risk_list.html", "risks/partials/risk_table.html", 11),
        ("portfolio", "risks/portfolio.html", "risks/partials/portfolio_cell.html", 5),
    ],
)
def test_the_register_and_the_portfolio_answer_htmx_with_their_list_only(
    register,
    as_persona,
    project,
    django_assert_num_queries,
    kind,
    name,
    page,
    partial,
    queries,
):
    args = [project.pk] if name == "risk_list" else []
    url = reverse(f"risks:{name}", args=args) + "?probability=4&impact=3"
    headers, wants_partial = HTMX_KINDS[kind]
    browser = as_persona("member")

    with django_assert_num_queries(queries):
        response = browser.get(url, headers=headers)

    assert response.status_code == 200
    assert response.templates[0].name == (partial if wants_partial else page)
    assert "HX-Request" in response["Vary"]
