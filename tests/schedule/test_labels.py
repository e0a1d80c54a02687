"""Short labels that mean different things get their own translation (msgid contexts)."""

from django.template import Context, Template
from django.utils import translation
from django.utils.translation import pgettext

from clientfolio.clients.models import Feedback
from clientfolio.schedule.models import Task


def test_critical_is_key_on_the_critical_path_and_urgent_or_severe_elsewhere():
    with translation.override("zh-hans"):
        badge = Template(
            '{% load i18n %}{% translate "Critical" context "critical path" %}'
        ).render(Context())
        assert badge == "关键"
        assert pgettext("critical path", "Critical") == "关键"
        assert str(Task.Priority.CRITICAL.label) == "紧急"
        assert str(Feedback.Severity.CRITICAL.label) == "严重"
    with translation.override("en"):
        assert str(Task.Priority.CRITICAL.label) == "Critical"
