"""Demo data of progress reports: last week's report of the first demo project,
drafted from its data, with the manager's narrative, published to the client (no
e-mail leaves), and this week's report as a draft."""

from __future__ import annotations

from datetime import date, timedelta

from clientfolio.projects.models import Project
from clientfolio.reports import services
from clientfolio.reports.models import ReportSchedule

__all__ = ["load"]


def load(today: date) -> dict[str, int]:
    project = Project.objects.select_related("client", "manager").order_by("id").first()
    if project is None:
        return {}
    ReportSchedule.objects.get_or_create(
        project=project, defaults={"cadence": "weekly"}
    )
    report, _created = services.draft_report(
        project, "weekly", today=today - timedelta(days=7), user=project.manager
    )
    if report.is_draft and not report.versions.exists():
        services.save_narrative(
            report,
            summary="本周完成了数据接口联调和权限模块的开发，整体进度基本符合计划。",
            next_steps="下周开始用户验收测试（UAT），并准备上线方案评审。",
            client_notes="请在周五前确认大屏展示需求的变更申请，以免影响上线时间。",
            internal_notes="测试人员紧张，需从二组借调一人。",
            client_sections=["progress", "tasks", "milestones", "changes", "waiting"],
            expected_version=report.version,
        )
        contacts = list(services.recipients_for(project)[:1])
        services.publish_report(
            report,
            user=project.manager,
            recipients=contacts,
            expected_version=report.version,
            send=False,
        )
    services.draft_report(project, "weekly", today=today, user=project.manager)
    return {"progress reports": 2}
