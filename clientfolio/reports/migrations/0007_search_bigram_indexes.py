"""Bigram indexes for the one search on PostgreSQL (issue 13, ``core.textsearch``).

pg_trgm's indexes (0002) serve words of three characters or more; a two-character
word (客户, 天康: most Chinese words) scanned every searched table in full, 300,000
contacts among them (0.6–1.2 s a search on the scale set). Here: the SQL function
``clientfolio_bigrams()`` (``core.bigrams.SQL_FUNCTION``) and a GIN index over the
bigrams of every searched column, on the expression the search filters on
(``UPPER(column)`` where it compares with ``icontains``). PostgreSQL keeps them up to
date on every write; nothing in the apps maintains them. Other databases: nothing
(SQLite's search scans narrow covering indexes, 0002).
"""

from django.db import migrations

from clientfolio.core.bigrams import SQL_FUNCTION

# index name -> (table, indexed expression): the filters of reports/search.py.
INDEXES = {
    "reports_bigram_client": ("clients_client", "search_text"),
    "reports_bigram_contact_name": ("clients_contact", "UPPER(name::text)"),
    "reports_bigram_contact_phone": ("clients_contact", "UPPER(phone::text)"),
    "reports_bigram_contact_email": ("clients_contact", "UPPER(email::text)"),
    "reports_bigram_task": ("schedule_task", "UPPER(name::text)"),
    "reports_bigram_commrecord": ("comms_commrecord", "search_text"),
    "reports_bigram_document": ("documents_document", "search_text"),
    "reports_bigram_risk_title": ("risks_risk", "UPPER(title::text)"),
    "reports_bigram_risk_description": ("risks_risk", "UPPER(description)"),
    "reports_bigram_change_title": ("projects_changerequest", "UPPER(title::text)"),
    "reports_bigram_change_description": (
        "projects_changerequest",
        "UPPER(description)",
    ),
    "reports_bigram_project_requirement_title": (
        "projects_projectrequirement",
        "UPPER(title::text)",
    ),
    "reports_bigram_project_requirement_description": (
        "projects_projectrequirement",
        "UPPER(description)",
    ),
    "reports_bigram_client_requirement_title": (
        "clients_requirement",
        "UPPER(title::text)",
    ),
    "reports_bigram_client_requirement_description": (
        "clients_requirement",
        "UPPER(description)",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SQL_FUNCTION)
        for name, (table, expression) in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin (clientfolio_bigrams({expression}))"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("DROP FUNCTION IF EXISTS clientfolio_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_template"),
        ("reports", "0002_search_indexes"),
        ("clients", "0007_portal_feedback_and_requirements"),
        ("projects", "__first__"),
        ("risks", "__first__"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
