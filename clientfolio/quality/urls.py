from django.urls import path

from clientfolio.quality.views import (
    acceptances,
    actions,
    deliverables,
    reviews,
    standards,
)

app_name = "quality"

PROJECT = "projects/<int:pk>/quality/"
DELIVERABLE = f"{PROJECT}deliverables/<int:deliverable_pk>/"
REVIEW = f"{PROJECT}reviews/<int:review_pk>/"
ACTION = f"{PROJECT}actions/<int:action_pk>/"
STANDARD = f"{PROJECT}standards/<int:standard_pk>/"

urlpatterns = [
    path(PROJECT, deliverables.DeliverableListView.as_view(), name="deliverable_list"),
    path(
        f"{PROJECT}deliverables/new/",
        deliverables.DeliverableFormView.as_view(),
        name="deliverable_create",
    ),
    path(
        DELIVERABLE,
        deliverables.DeliverableDetailView.as_view(),
        name="deliverable_detail",
    ),
    path(
        f"{DELIVERABLE}edit/",
        deliverables.DeliverableFormView.as_view(),
        name="deliverable_edit",
    ),
    path(
        f"{DELIVERABLE}delete/",
        deliverables.DeliverableDeleteView.as_view(),
        name="deliverable_delete",
    ),
    path(
        f"{PROJECT}standards/",
        standards.StandardListView.as_view(),
        name="standard_list",
    ),
    path(
        f"{PROJECT}standards/new/",
        standards.StandardFormView.as_view(),
        name="standard_create",
    ),
    path(
        f"{STANDARD}edit/", standards.StandardFormView.as_view(), name="standard_edit"
    ),
    path(
        f"{STANDARD}delete/",
        standards.StandardDeleteView.as_view(),
        name="standard_delete",
    ),
    path(f"{PROJECT}reviews/", reviews.ReviewListView.as_view(), name="review_list"),
    path(
        f"{PROJECT}reviews/new/", reviews.ReviewFormView.as_view(), name="review_create"
    ),
    path(
        f"{PROJECT}reviews/row/",
        reviews.ReviewItemRowView.as_view(),
        name="review_item_row",
    ),
    path(REVIEW, reviews.ReviewDetailView.as_view(), name="review_detail"),
    path(f"{REVIEW}edit/", reviews.ReviewFormView.as_view(), name="review_edit"),
    path(f"{REVIEW}delete/", reviews.ReviewDeleteView.as_view(), name="review_delete"),
    path(
        f"{PROJECT}checklist/<int:item_pk>/issue/",
        reviews.ReviewItemIssueView.as_view(),
        name="review_item_issue",
    ),
    path(
        f"{PROJECT}acceptances/",
        acceptances.AcceptanceListView.as_view(),
        name="acceptance_list",
    ),
    path(
        f"{PROJECT}acceptances/<int:acceptance_pk>/",
        acceptances.AcceptanceDetailView.as_view(),
        name="acceptance_detail",
    ),
    path(
        f"{PROJECT}acceptances/new/",
        acceptances.AcceptanceCreateView.as_view(),
        name="acceptance_create",
    ),
    path(f"{PROJECT}actions/", actions.ActionListView.as_view(), name="action_list"),
    path(
        f"{PROJECT}actions/new/", actions.ActionFormView.as_view(), name="action_create"
    ),
    path(ACTION, actions.ActionDetailView.as_view(), name="action_detail"),
    path(f"{ACTION}edit/", actions.ActionFormView.as_view(), name="action_edit"),
    path(f"{ACTION}delete/", actions.ActionDeleteView.as_view(), name="action_delete"),
]
