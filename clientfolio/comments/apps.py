from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CommentsConfig(AppConfig):
    name = "clientfolio.comments"
    label = "comments"
    verbose_name = pgettext_lazy("discussion", "Comments")
