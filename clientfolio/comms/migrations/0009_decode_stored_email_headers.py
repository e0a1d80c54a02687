"""Records imported from .eml files before their senders' and recipients' names were
decoded show ``=?utf-8?b?5byg5Lyf?= <…>``: decode them (and any encoded subject)."""

from django.db import migrations
from django.db.models import Q

from clientfolio.comms.eml import decode_words


def decode_headers(apps, schema_editor):
    record_model = apps.get_model("comms", "CommRecord")
    encoded = Q(email_from__contains="=?") | Q(email_to__contains="=?")
    encoded |= Q(subject__contains="=?")
    changed = []
    for record in record_model.objects.filter(encoded).only(
        "id", "email_from", "email_to", "subject"
    ):
        record.email_from = decode_words(record.email_from)[:500]
        record.email_to = decode_words(record.email_to)[:5000]
        record.subject = decode_words(record.subject)[:300]
        changed.append(record)
    record_model.objects.bulk_update(
        changed, ["email_from", "email_to", "subject"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("comms", "0008_action_item_contact_index")]

    operations = [migrations.RunPython(decode_headers, migrations.RunPython.noop)]
