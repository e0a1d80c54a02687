"""The plan grid page: the task tree as an editable grid, drawn and edited by
``schedule/grid.js`` through the grid API (``schedule.api.grid``)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from clientfolio.schedule.api.grid import grid_payload
from clientfolio.schedule.views.common import ScheduleMixin

__all__ = ["PlanGridView"]


def _texts() -> dict[str, str]:
    return {
        "row": pgettext("grid row number", "Row"),
        "wbs": _("WBS"),
        "name": _("Task name"),
        "duration": _("Duration"),
        "start": _("Start"),
        "finish": _("Finish"),
        "constraint": _("Start constraint"),
        "owner": _("Owner"),
        "predecessors": _("Predecessors"),
        "days": _("d"),
        "new_row": _("Type a task name to add it…"),
        "nobody": _("— nobody —"),
        "team": _("Team"),
        "not_on_team": _("Not on the team"),
        "saving": _("Saving…"),
        "saved": _("Saved; the schedule was recomputed."),
        "moved": _("%(count)s other tasks moved."),
        "error": _("Not saved."),
        "network": _("The server could not be reached. Nothing was saved."),
        "undo": _("Undo"),
        "undo_what": _("Undo: %(label)s"),
        "nothing_to_undo": _("Nothing to undo"),
        "undone": _("Undone: %(label)s"),
        "pasted": _("%(count)s rows pasted."),
        "paste_failed": _("Nothing was pasted:"),
        "paste_row": _("Pasted row %(row)s: %(message)s"),
        "read_only": _("You can view this plan but not change it."),
        "add_to_team": _("Add to the team and make owner"),
        "ask_manager": _(
            "Only a project manager can add people to the team; ask them to add %(name)s."
        ),
        "member_added": _("%(name)s was added to the team."),
        "finish_label": _("Computed finish"),
        "summary_readonly": _("A summary task's dates come from the tasks under it."),
    }


class PlanGridView(ScheduleMixin, View):
    """The grid: row number, WBS, name, duration, start, finish, start constraint,
    owner and predecessors, typed the way MS Project's grid is."""

    def get(self, request, pk):
        api = {
            name: reverse(f"plan-grid{suffix}", kwargs={"pk": pk})
            for name, suffix in (
                ("grid", ""),
                ("cell", "-cell"),
                ("row", "-row"),
                ("move", "-move"),
                ("paste", "-paste"),
                ("undo", "-undo"),
                ("team", "-team"),
            )
        }
        context = {
            **self.folder_context(),
            "plan_warnings": [],
            "grid_config": {
                "api": api,
                "gantt": reverse("schedule:gantt", kwargs={"pk": pk}),
                "language": getattr(request, "LANGUAGE_CODE", "en"),
                "text": _texts(),
                **grid_payload(self.project, request.user),
            },
        }
        return render(request, "schedule/plan_grid.html", context)
