from django.urls import path

from clientfolio.portal.views import (
    acceptance,
    accounts,
    changes,
    feedback,
    home,
    messages,
    minutes,
    reports,
)

app_name = "portal"

PROJECT = "projects/<int:pk>/"

urlpatterns = [
    path("", home.home, name="home"),
    path(PROJECT, home.project_detail, name="project"),
    path(
        f"{PROJECT}timeline.<str:extension>",
        home.timeline_export,
        name="timeline_export",
    ),
    path(f"{PROJECT}files/", home.document_list, name="documents"),
    path(
        f"{PROJECT}files/<int:version_pk>/",
        home.document_download,
        name="document_download",
    ),
    path("preview/<int:contact_pk>/", home.preview_start, name="preview_start"),
    path("preview/stop/", home.preview_stop, name="preview_stop"),
    # Getting in (open without login: the token is the credential) and the account.
    path("welcome/<str:token>/", accounts.welcome, name="welcome"),
    path("sign-in/", accounts.sign_in, name="sign_in"),
    path("sign-in/<str:token>/", accounts.sign_in_link, name="sign_in_link"),
    path("account/", accounts.account, name="account"),
    path("account/password/", accounts.account_password, name="account_password"),
]

# Minutes, action items, feedback and messages (issue 12).
urlpatterns += [
    path(f"{PROJECT}minutes/", minutes.minutes_list, name="minutes_list"),
    path(f"{PROJECT}minutes/<int:record_pk>/", minutes.minutes, name="minutes"),
    path(
        f"{PROJECT}action-items/<int:item_pk>/done/",
        minutes.action_item_done,
        name="action_item_done",
    ),
    path("feedback/", feedback.feedback_list, name="feedback_list"),
    path("feedback/new/", feedback.feedback_new, name="feedback_new"),
    path(f"{PROJECT}messages/", messages.messages, name="messages"),
    path(f"{PROJECT}messages/new/", messages.message_new, name="message_new"),
    path(f"{PROJECT}messages/<int:record_pk>/", messages.thread, name="thread"),
]

# Change requests, deliverables and milestones: the client's decisions (issue 12).
urlpatterns += [
    path(f"{PROJECT}changes/", changes.change_request_list, name="change_requests"),
    path(
        f"{PROJECT}changes/<int:number>/",
        changes.change_request_detail,
        name="change_request",
    ),
    path(
        f"{PROJECT}deliverables/<int:deliverable_pk>/",
        acceptance.deliverable_detail,
        name="deliverable",
    ),
    path(
        f"{PROJECT}milestones/<int:milestone_pk>/",
        acceptance.milestone_detail,
        name="milestone",
    ),
]

# Published progress reports (issue 13).
urlpatterns += [
    path(f"{PROJECT}reports/", reports.report_list, name="report_list"),
    path(
        f"{PROJECT}reports/<int:version_pk>/",
        reports.report_detail,
        name="report_detail",
    ),
    path(
        f"{PROJECT}reports/<int:version_pk>/pdf/",
        reports.report_pdf,
        name="report_pdf",
    ),
]
