"""The forms of the portal: what a project shares (staff)."""

from django import forms

from clientfolio.portal.models import SECTIONS, ProjectSharing

__all__ = ["SharingForm"]


class SharingForm(forms.ModelForm):
    """Whether the project is in its client's portal, and which sections it shows."""

    class Meta:
        model = ProjectSharing
        fields = ["is_enabled", *SECTIONS]
