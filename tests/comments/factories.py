"""Factories of comments. A comment is posted with comments.services, so its rendering,
mentions, attachments and events are what the application would have stored."""

import factory
from factory.django import DjangoModelFactory

from clientfolio.comments import services
from clientfolio.comments.models import Comment


class CommentFactory(DjangoModelFactory):
    """A comment by ``author`` on ``target`` (both required), posted with
    ``services.add_comment``; ``files=[upload(...)]`` attaches files."""

    class Meta:
        model = Comment

    body = factory.Sequence(lambda n: f"第{n}条评论：接口文档已更新")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.add_comment(
            kwargs.pop("author"),
            kwargs.pop("target"),
            kwargs.pop("body"),
            files=kwargs.pop("files", ()),
        )
