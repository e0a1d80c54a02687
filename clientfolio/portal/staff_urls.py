"""The staff side of the portal, a namespace of its own so that client logins never
reach it (``permissions.CLIENT_NAMESPACES``)."""

from django.urls import path

from clientfolio.portal.views import staff

app_name = "portal_staff"

CONTACT = "portal-admin/contacts/<int:pk>/"

urlpatterns = [
    path(f"{CONTACT}invite/", staff.contact_invite, name="contact_invite"),
    path(f"{CONTACT}resend/", staff.contact_resend, name="contact_resend"),
    path(f"{CONTACT}revoke/", staff.contact_revoke, name="contact_revoke"),
    path(f"{CONTACT}access/", staff.contact_access, name="contact_access"),
    path("projects/<int:pk>/portal/", staff.SharingView.as_view(), name="sharing"),
]
