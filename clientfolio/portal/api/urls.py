from rest_framework.routers import DefaultRouter

from clientfolio.portal.api import acceptance, changes, conversation, views

app_name = "portal_api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("projects", views.ProjectViewSet, basename="project")
router.register(
    "change-requests", changes.ChangeRequestViewSet, basename="change-request"
)
router.register("deliverables", acceptance.DeliverableViewSet, basename="deliverable")
router.register("milestones", acceptance.MilestoneViewSet, basename="milestone")

# Minutes, action items, feedback and messages (issue 12).
router.register("meetings", conversation.MeetingViewSet, basename="meeting")
router.register("action-items", conversation.ActionItemViewSet, basename="action-item")
router.register("feedback", conversation.FeedbackViewSet, basename="feedback")
router.register("requirements", conversation.RequirementViewSet, basename="requirement")
router.register("threads", conversation.ThreadViewSet, basename="thread")

urlpatterns = router.urls
