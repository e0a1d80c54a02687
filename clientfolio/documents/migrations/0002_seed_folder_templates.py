"""The default folder template: the folders every project's document tree starts with."""

from django.db import migrations

FOLDERS = [
    ("合同协议", "Contracts"),
    ("需求", "Requirements"),
    ("设计", "Design"),
    ("技术文档", "Technical"),
    ("会议纪要", "Minutes"),
    ("报告", "Reports"),
    ("验收", "Acceptance"),
    ("财务", "Finance"),
]


def seed(apps, schema_editor):
    template = apps.get_model("documents", "FolderTemplate")
    if template.objects.exists():
        return
    template.objects.bulk_create(
        template(name_zh=zh, name_en=en, position=index)
        for index, (zh, en) in enumerate(FOLDERS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
