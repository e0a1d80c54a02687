from django.urls import path

from clientfolio.comments import views

app_name = "comments"

PROJECT = "projects/<int:pk>/comments/"
COMMENT = f"{PROJECT}<int:comment_pk>/"

urlpatterns = [
    path(f"{PROJECT}mentions/", views.MentionsView.as_view(), name="mentions"),
    path(
        f"{PROJECT}<str:target_type>/<int:target_id>/",
        views.ThreadView.as_view(),
        name="thread",
    ),
    path(f"{COMMENT}edit/", views.CommentEditView.as_view(), name="comment_edit"),
    path(f"{COMMENT}delete/", views.CommentDeleteView.as_view(), name="comment_delete"),
]
