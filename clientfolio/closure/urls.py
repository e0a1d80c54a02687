from django.urls import path

from clientfolio.closure import views

app_name = "closure"

PROJECT = "projects/<int:pk>/closure/"
LESSON = f"{PROJECT}lessons/<int:lesson_pk>/"

urlpatterns = [
    path(PROJECT, views.ChecklistView.as_view(), name="checklist"),
    path(f"{PROJECT}close/", views.CloseView.as_view(), name="close"),
    path(f"{PROJECT}reopen/", views.ReopenView.as_view(), name="reopen"),
    path(f"{PROJECT}lessons/", views.LessonListView.as_view(), name="lesson_list"),
    path(
        f"{PROJECT}lessons/new/", views.LessonCreateView.as_view(), name="lesson_create"
    ),
    path(f"{LESSON}edit/", views.LessonEditView.as_view(), name="lesson_edit"),
    path(f"{PROJECT}handover/", views.HandoverView.as_view(), name="handover"),
    path(
        f"{PROJECT}handover/edit/",
        views.HandoverEditView.as_view(),
        name="handover_edit",
    ),
    path(f"{PROJECT}evaluation/", views.EvaluationView.as_view(), name="evaluation"),
    path(
        f"{PROJECT}evaluation/edit/",
        views.EvaluationEditView.as_view(),
        name="evaluation_edit",
    ),
    path(
        f"{PROJECT}evaluation.pdf",
        views.EvaluationPdfView.as_view(),
        name="evaluation_pdf",
    ),
    path("lessons/", views.LessonSearchView.as_view(), name="lesson_search"),
]
