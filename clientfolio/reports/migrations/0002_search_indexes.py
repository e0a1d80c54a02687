"""Indexes for the one search (issue 13, ``reports/search.py``).

A substring search cannot use a B-tree index to find rows, but it can read less:

- SQLite: narrow covering indexes over the searched columns of the largest tables
  (tasks, communication records, documents), so a search scans the index instead of the
  whole, wide table. The client library's list already has one for clients.
- PostgreSQL: pg_trgm GIN indexes, which ``LIKE '%…%'`` uses (three characters or more).
  They need the pg_trgm extension. Creating it needs a privileged user; when that is not
  possible and the extension is not already installed, the indexes are skipped with a
  warning and the search still works, by scanning (docs/operations.md says how to add
  them later).
"""

import warnings

from django.db import migrations, transaction

SQLITE = {
    "reports_search_task": "schedule_task (name, project_id)",
    "reports_search_commrecord": "comms_commrecord (project_id, search_text)",
    "reports_search_document": "documents_document (project_id, deleted_at, search_text)",
}

# Django's lookups on PostgreSQL: ``contains`` is ``col::text LIKE …`` and ``icontains``
# is ``UPPER(col::text) LIKE UPPER(…)``; the indexed expressions match them.
POSTGRESQL = {
    "reports_search_client_trgm": "clients_client USING gin (search_text gin_trgm_ops)",
    "reports_search_contact_name_trgm": (
        "clients_contact USING gin (UPPER(name::text) gin_trgm_ops)"
    ),
    "reports_search_contact_phone_trgm": (
        "clients_contact USING gin (UPPER(phone::text) gin_trgm_ops)"
    ),
    "reports_search_contact_email_trgm": (
        "clients_contact USING gin (UPPER(email::text) gin_trgm_ops)"
    ),
    "reports_search_task_trgm": "schedule_task USING gin (UPPER(name::text) gin_trgm_ops)",
    "reports_search_commrecord_trgm": (
        "comms_commrecord USING gin (search_text gin_trgm_ops)"
    ),
    "reports_search_document_trgm": (
        "documents_document USING gin (search_text gin_trgm_ops)"
    ),
}


def _has_trigrams(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return cursor.fetchone() is not None


def _enable_trigrams(schema_editor) -> bool:
    """Whether pg_trgm is there (created now if this user may)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if _has_trigrams(cursor):
            return True
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:  # noqa: BLE001 (any refusal: permission, not installed)
            warnings.warn(
                "Search indexes skipped: the pg_trgm extension could not be created "
                f"({error.__class__.__name__}). The search works without them; see "
                "docs/operations.md to add them.",
                stacklevel=1,
            )
            return False
        return True


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [f"CREATE INDEX IF NOT EXISTS {n} ON {t}" for n, t in SQLITE.items()]
    elif vendor == "postgresql" and _enable_trigrams(schema_editor):
        statements = [
            f"CREATE INDEX IF NOT EXISTS {n} ON {t}" for n, t in POSTGRESQL.items()
        ]
    else:
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    names = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, {})
    with schema_editor.connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("clients", "0007_portal_feedback_and_requirements"),
        ("schedule", "0005_milestones_client_visible_by_default"),
        ("comms", "0008_action_item_contact_index"),
        ("documents", "0004_documents_shared_recent"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
