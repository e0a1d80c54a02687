"""The project's working calendar (manager only): weekdays, statutory holidays, buffer,
status date and the project's own exceptions. Every save recomputes the schedule: at
once, or for a plan larger than ``tasks.inline_limit()`` in a background job whose
progress page the manager is sent to."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.core.permissions import Action
from clientfolio.core.views import conflict_response
from clientfolio.schedule import calendars, services, tasks
from clientfolio.schedule.forms import CalendarDayForm, ProjectScheduleForm
from clientfolio.schedule.models import CalendarDay
from clientfolio.schedule.views.common import ScheduleMixin, unknown_years_warning

__all__ = ["CalendarDayAddView", "CalendarDayDeleteView", "CalendarView"]


class _CalendarMixin(ScheduleMixin):
    folder_model = "schedule.projectschedule"
    folder_action = Action.CHANGE
    template_name = "schedule/calendar.html"

    def year(self) -> int:
        raw = self.request.GET.get("year", "")
        if raw.isdigit() and 2000 <= int(raw) <= 2100:
            return int(raw)
        return (self.project.starts_on or timezone.localdate()).year

    def calendar_context(self, form=None, day_form=None) -> dict:
        settings_row = self.schedule_settings()
        year = self.year()
        names = calendars.holiday_names([year])
        info = calendars.build_calendar(frozenset({0, 1, 2, 3, 4}), [year])
        return {
            **self.folder_context(),
            "schedule": settings_row,
            "form": form or ProjectScheduleForm(instance=settings_row),
            "day_form": day_form
            or CalendarDayForm(initial={"kind": CalendarDay.Kind.HOLIDAY}),
            "own_days": list(CalendarDay.objects.filter(schedule=settings_row)),
            "year": year,
            "holidays": sorted(names.items()),
            "makeup_days": sorted(
                d for d in info.calendar.extra_workdays if d.year == year
            ),
            "year_unknown": year in info.unknown_years,
            "unknown_years": unknown_years_warning(settings_row),
            "plan_warnings": services.plan_warnings(settings_row),
            "recompute_job": tasks.running_recompute(self.project),
        }

    def recompute(self):
        """Recompute the plan after a calendar change (inside the caller's transaction):
        at once, or queue the background job of a large plan and return it."""
        job = tasks.recompute_later(self.project, self.request.user)
        if job is None:
            services.recompute(self.project, actor=self.request.user)
        return job

    def saved(self, job):
        if job is None:
            messages.success(
                self.request, _("Calendar saved; the schedule is recomputed.")
            )
            return redirect("schedule:calendar", pk=self.project.pk)
        count = int(job.params.get("tasks", 0))
        messages.success(
            self.request,
            ngettext(
                "Calendar saved. The schedule of %(count)s task is being recomputed "
                "in the background; you will be told when it is done.",
                "Calendar saved. The schedule of %(count)s tasks is being recomputed "
                "in the background; you will be told when it is done.",
                count,
            )
            % {"count": f"{count:,}"},
        )
        return redirect("core:job_detail", job.pk)


class CalendarView(_CalendarMixin, View):
    def get(self, request, pk):
        return render(request, self.template_name, self.calendar_context())

    def post(self, request, pk):
        settings_row = self.schedule_settings()
        form = ProjectScheduleForm(request.POST, instance=settings_row)
        if not form.is_valid():
            return render(
                request, self.template_name, self.calendar_context(form), status=400
            )
        try:
            with transaction.atomic():
                instance = form.save(commit=False)
                save_versioned(instance, form.cleaned_data.get("version"))
                job = self.recompute()
        except services.PlanError as error:
            form.add_error(None, error.message)
            return render(
                request, self.template_name, self.calendar_context(form), status=400
            )
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.calendar_context(form),
                form,
                stale.current,
            )
        return self.saved(job)


class CalendarDayAddView(_CalendarMixin, View):
    folder_model = "schedule.calendarday"
    folder_action = Action.ADD

    def post(self, request, pk):
        settings_row = self.schedule_settings()
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            day = form.save(commit=False)
            day.schedule = settings_row
            try:
                with transaction.atomic():
                    day.save()
                    job = self.recompute()
            except IntegrityError:
                form.add_error("day", _("This date already has an exception."))
            else:
                return self.saved(job)
        return render(
            request,
            self.template_name,
            self.calendar_context(day_form=form),
            status=400,
        )


class CalendarDayDeleteView(_CalendarMixin, View):
    folder_model = "schedule.calendarday"
    folder_action = Action.DELETE

    def post(self, request, pk, day_pk):
        settings_row = self.schedule_settings()
        day = get_object_or_404(CalendarDay, schedule=settings_row, pk=day_pk)
        with transaction.atomic():
            day.delete()
            job = self.recompute()
        return self.saved(job)
