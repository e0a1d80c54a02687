"""Forms of the document pages: they check the shape of input; services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.core.forms import MultipleFileField, VersionedFormMixin
from clientfolio.documents.models import Document, Folder, FolderTemplate

__all__ = [
    "DocumentEditForm",
    "FolderForm",
    "FolderTemplateForm",
    "NamingRuleForm",
    "UploadForm",
    "VersionForm",
    "VisibilityForm",
]


def _folder_choices(project):
    return Folder.objects.for_tree(project)


class UploadForm(forms.Form):
    # Shadows Form.files only for the type checker; Django keeps fields in .fields.
    files = MultipleFileField(label=_("Files"))  # type: ignore[assignment]
    folder = forms.ModelChoiceField(
        label=_("Folder"), queryset=Folder.objects.none(), required=False
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_(
            "For a single file; otherwise each document is named after its file."
        ),
    )
    category = forms.CharField(label=_("Category"), max_length=50, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Document.Visibility.choices,
        initial=Document.Visibility.INTERNAL,
    )
    note = forms.CharField(label=_("Version note"), max_length=500, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = _folder_choices(project)  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(choices=Document.Visibility.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DocumentEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "folder", "category", "notes", "visibility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = _folder_choices(self.instance.project)  # type: ignore[attr-defined]


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ModelChoiceField(
        label=_("Parent folder"), queryset=Folder.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _folder_choices(project)  # type: ignore[attr-defined]


class NamingRuleForm(forms.Form):
    naming_rule = forms.CharField(
        label=_("Naming rule"),
        max_length=200,
        required=False,
        help_text=_(
            "Placeholders: {project_code}, {category}, {title}, {version}. "
            "Leave empty to accept any file name."
        ),
    )


class FolderTemplateForm(forms.ModelForm):
    class Meta:
        model = FolderTemplate
        fields = ["name_zh", "name_en"]
