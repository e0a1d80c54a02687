"""The one search over everything a staff user may see (issue 13).

``search(user, query)`` answers groups in a fixed order (clients, contacts, projects,
tasks, communication records, documents, requirements, change requests, risks), each
with its number of hits and its first hits. Every kind is read through the permission
layer (``scope(user, …, Action.VIEW)``); client contacts get nothing (the portal is
their place).

Substring search cannot use a B-tree index, so each kind costs one scan. To keep it to
one, a kind first collects the ids of its hits in its display order, at most
``COUNT_CAP + 1`` of them (the scan stops there), and counts those; a second query loads
only the rows shown. Beyond the cap the count reads "1,000+" (``Group.capped``) and
paging ends at the cap: a search that broad needs more words. Two queries per kind with
hits, one per kind without (requirements are two kinds of record, so twice that); the
clients' search text is read once for the clients and their contacts (``_Scan``).

On SQLite the scans run two at a time in worker threads, each on its own connection
(``_parallel``): the text is read inside this process, so a second core halves the
wait. PostgreSQL has trigram indexes instead (migration ``0002_search_indexes``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Client, Contact, Requirement
from clientfolio.clients.querysets import normalise_query
from clientfolio.comms.models import CommRecord
from clientfolio.core.permissions import Action, is_client, scope
from clientfolio.core.textsearch import contains_q
from clientfolio.documents.models import Document
from clientfolio.projects.models import ChangeRequest, Project, ProjectRequirement
from clientfolio.reports.matching import Snippet, query_words, snippet
from clientfolio.risks.models import Risk
from clientfolio.schedule.models import Task

__all__ = ["COUNT_CAP", "KINDS", "Group", "Hit", "search"]

COUNT_CAP = 1000
# Clients matched at most this many are read once for the clients and the contacts
# (their ids go into an IN list; SQLite builds before 3.32 take 999 parameters).
CLIENT_IDS = 900
# Scans at once on SQLite (``_parallel``): the machine's two cores.
THREADS = 2


@dataclass(frozen=True)
class Hit:
    """One record found: what it is, where it belongs and the page that shows it."""

    kind: str
    title: str
    snippet: Snippet
    url: str
    project: str = ""  # "S00001 · 智能客服系统项目" when the record is in a project
    client: str = ""


@dataclass
class Group:
    """The hits of one kind: ``total`` of them (at least ``COUNT_CAP`` when
    ``capped``), and the ``hits`` from ``offset`` on."""

    kind: str
    label: Any
    total: int = 0
    capped: bool = False
    offset: int = 0
    hits: list[Hit] = field(default_factory=list)


def _vendor(queryset: QuerySet) -> str:
    return connections[queryset.db].vendor


def _words_q(vendor: str, fields: Sequence[str], words: Iterable[str]) -> Q:
    """Every word in one of ``fields`` (case-insensitive substring; on PostgreSQL
    narrowed first by the bigram indexes of migration 0007, ``core.textsearch``)."""
    condition = Q()
    for word in words:
        either = Q()
        for name in fields:
            either |= contains_q(vendor, name, word)
        condition &= either
    return condition


def _lowered_contains(queryset: QuerySet, column: str, words: Iterable[str]):
    """Rows whose lower-cased ``column`` (a derived search text) contains every word.
    On SQLite ``instr()`` tests a substring faster than ``LIKE '%…%'`` (see
    ``ClientQuerySet.search``)."""
    vendor = _vendor(queryset)
    for index, word in enumerate(words):
        if vendor == "sqlite":
            name = f"_hit{index}"
            queryset = queryset.alias(**{name: StrIndex(column, Value(word))}).filter(
                **{f"{name}__gt": 0}
            )
        else:
            queryset = queryset.filter(
                contains_q(vendor, column, word, case_insensitive=False)
            )
    return queryset


def _project_label(project: Project | None) -> str:
    return f"{project.code} · {project.name}" if project else ""


def _client_name(client: Client | None) -> str:
    return client.name if client else ""


@dataclass(frozen=True)
class _Source:
    """One kind of record: how to find it, in which order, and how to show a hit."""

    model: type[Model]
    filter: Callable[[QuerySet, list[str]], QuerySet]
    order: tuple[str, ...]
    related: tuple[str, ...]
    hit: Callable[[Any, list[str]], tuple[str, Snippet, str, str, str]]
    base: Callable[[], QuerySet] | None = None
    # (user, words, limit, scan) -> ids, for kinds that share the scan of another
    ids: Callable[[Any, list[str], int, _Scan], list] | None = None

    def queryset(self) -> QuerySet:
        return self.base() if self.base else self.model._default_manager.all()


def _client_hit(row: Client, words: list[str]):
    parts = row.search_text.split(" | ")
    return (
        row.name,
        snippet([row.name, *parts[1:]], words),
        reverse("clients:client_detail", args=[row.pk]),
        "",
        "",
    )


def _contact_hit(row: Contact, words: list[str]):
    return (
        row.name,
        snippet([row.name, row.phone, row.email], words),
        reverse("clients:client_detail", args=[row.client_id]),
        "",
        row.client.name,
    )


class _Scan:
    """What one ``search()`` call reads once for several kinds: the clients whose search
    text matches (their name, and their contacts' names, phones and e-mails)."""

    def __init__(self, user: Any, words: list[str]) -> None:
        self.user, self.words = user, words
        self._clients: list[tuple[int, str, bool]] | None | bool = False

    def clients(self) -> list[tuple[int, str, bool]] | None:
        """(id, sort key, is current) of every matching client the user may see, or
        None when more than ``CLIENT_IDS`` match (then each kind scans on its own)."""
        if self._clients is False:
            queryset = scope(
                self.user,
                _lowered_contains(Client.objects.all(), "search_text", self.words),
            )
            rows = [
                (pk, name_sort, archived_at is None)
                for pk, name_sort, archived_at in queryset.order_by().values_list(
                    "pk", "name_sort", "archived_at"
                )[: CLIENT_IDS + 1]
            ]
            self._clients = None if len(rows) > CLIENT_IDS else rows
        return self._clients  # type: ignore[return-value]


def _client_ids(user: Any, words: list[str], limit: int, scan: _Scan) -> list:
    clients = scan.clients()
    if clients is None:
        queryset = scope(
            user, _lowered_contains(Client.objects.current(), "search_text", words)
        )
        return list(
            queryset.order_by("name_sort", "id").values_list("pk", flat=True)[:limit]
        )
    return [
        pk for _key, pk in sorted((key, pk) for pk, key, current in clients if current)
    ][:limit]


def _contact_ids(user: Any, words: list[str], limit: int, scan: _Scan) -> list:
    # A contact's name, phone and e-mail are part of its client's search text, so only
    # the contacts of the clients that match are read (an index lookup) instead of
    # scanning all contacts three columns wide.
    queryset = Contact.objects.all()
    queryset = queryset.filter(
        _words_q(_vendor(queryset), ("name", "phone", "email"), words)
    )
    clients = scan.clients()
    if clients is not None:
        if not clients:
            return []
        queryset = queryset.filter(client_id__in=[pk for pk, _key, _current in clients])
    return list(
        scope(user, queryset).order_by("-id").values_list("pk", flat=True)[:limit]
    )


def _project_hit(row: Project, words: list[str]):
    return (
        f"{row.code} · {row.name}",
        snippet([row.code, row.name], words),
        reverse("projects:project_detail", args=[row.pk]),
        "",
        _client_name(row.client),
    )


def _task_hit(row: Task, words: list[str]):
    return (
        row.name,
        snippet([row.name], words),
        reverse("schedule:task_detail", args=[row.project_id, row.pk]),
        _project_label(row.project),
        _client_name(row.project.client),
    )


def _record_hit(row: CommRecord, words: list[str]):
    return (
        row.subject,
        snippet([row.subject, row.minutes, row.decisions, row.agenda], words),
        reverse("comms:record_detail", args=[row.project_id, row.pk]),
        _project_label(row.project),
        _client_name(row.project.client),
    )


def _document_hit(row: Document, words: list[str]):
    return (
        row.title,
        snippet([row.title, row.notes, row.search_text], words),
        reverse("documents:document_detail", args=[row.project_id, row.pk]),
        _project_label(row.project),
        _client_name(row.project.client),
    )


def _project_requirement_hit(row: ProjectRequirement, words: list[str]):
    return (
        row.title,
        snippet([row.title, row.description], words),
        reverse("projects:requirement_detail", args=[row.project_id, row.pk]),
        _project_label(row.project),
        _client_name(row.project.client),
    )


def _client_requirement_hit(row: Requirement, words: list[str]):
    return (
        row.title,
        snippet([row.title, row.description], words),
        reverse("clients:client_detail", args=[row.client_id]),
        "",
        row.client.name,
    )


def _change_hit(row: ChangeRequest, words: list[str]):
    return (
        f"CR-{row.number} · {row.title}",
        snippet([row.title, row.description, row.reason], words),
        reverse("projects:change_detail", args=[row.project_id, row.number]),
        _project_label(row.project),
        _client_name(row.project.client),
    )


def _risk_hit(row: Risk, words: list[str]):
    return (
        row.title,
        snippet([row.title, row.description], words),
        reverse("risks:risk_detail", args=[row.project_id, row.pk]),
        _project_label(row.project),
        _client_name(row.project.client),
    )


def _fields(
    *names: str, indexed: bool = True
) -> Callable[[QuerySet, list[str]], QuerySet]:
    """A filter on ``names``; ``indexed`` when migration 0007 indexes their bigrams
    (without an index the bigram test costs more than it saves)."""
    return lambda queryset, words: queryset.filter(
        _words_q(_vendor(queryset) if indexed else "", names, words)
    )


def _search_text(queryset: QuerySet, words: list[str]) -> QuerySet:
    return _lowered_contains(queryset, "search_text", words)


IN_PROJECT = ("project", "project__client")
NEWEST: tuple[str, ...] = ()  # the order of a kind: newest first (``_matching_ids``)

# Kind -> (label, its sources in order). The order of the page and the API.
KINDS: dict[str, tuple[Any, tuple[_Source, ...]]] = {
    "clients": (
        _("Clients"),
        (
            _Source(
                Client,
                _search_text,
                ("name_sort", "id"),
                (),
                _client_hit,
                ids=_client_ids,
            ),
        ),
    ),
    "contacts": (
        _("Contacts"),
        (
            _Source(
                Contact,
                _search_text,
                NEWEST,
                ("client",),
                _contact_hit,
                ids=_contact_ids,
            ),
        ),
    ),
    "projects": (
        _("Projects"),
        (
            _Source(
                Project,
                _fields("code", "name", indexed=False),
                ("code", "id"),
                ("client",),
                _project_hit,
            ),
        ),
    ),
    "tasks": (
        _("Tasks"),
        (_Source(Task, _fields("name"), NEWEST, IN_PROJECT, _task_hit),),
    ),
    "records": (
        _("Communication"),
        (_Source(CommRecord, _search_text, NEWEST, IN_PROJECT, _record_hit),),
    ),
    "documents": (
        _("Documents"),
        (
            _Source(
                Document,
                _search_text,
                NEWEST,
                IN_PROJECT,
                _document_hit,
                base=lambda: Document.objects.active(),
            ),
        ),
    ),
    "requirements": (
        _("Requirements"),
        (
            _Source(
                ProjectRequirement,
                _fields("title", "description"),
                NEWEST,
                IN_PROJECT,
                _project_requirement_hit,
            ),
            _Source(
                Requirement,
                _fields("title", "description"),
                NEWEST,
                ("client",),
                _client_requirement_hit,
            ),
        ),
    ),
    "changes": (
        _("Change requests"),
        (
            _Source(
                ChangeRequest,
                _fields("title", "description"),
                NEWEST,
                IN_PROJECT,
                _change_hit,
            ),
        ),
    ),
    "risks": (
        _("Risks"),
        (
            _Source(
                Risk, _fields("title", "description"), NEWEST, IN_PROJECT, _risk_hit
            ),
        ),
    ),
}


def _matching_ids(
    user: Any, source: _Source, words: list[str], limit: int, scan: _Scan
) -> list:
    if source.ids is not None:
        return source.ids(user, words, limit, scan)
    # Scoped after the text filter: SQLite then asks the membership subquery only of the
    # rows that match, not of every row it scans.
    queryset = scope(user, source.filter(source.queryset(), words), Action.VIEW)
    if source.order:
        return list(
            queryset.order_by(*source.order).values_list("pk", flat=True)[:limit]
        )
    # Newest first. Unordered, the scan may read a narrow covering index (migration
    # 0002) and stops at the cap; beyond it, the newest of the hits it collected.
    ids = list(queryset.order_by().values_list("pk", flat=True)[:limit])
    return sorted(ids, reverse=True)


def _kind_ids(user: Any, kind: str, words: list[str], scan: _Scan) -> list[list]:
    """The ids of each source of ``kind`` (up to the cap + 1 each), in display order."""
    return [
        _matching_ids(user, source, words, COUNT_CAP + 1, scan)
        for source in KINDS[kind][1]
    ]


def _parallel() -> bool:
    """Whether the scans may run side by side, each thread on its own connection.

    Only on SQLite (the scans run inside this process, so a second core halves the
    wait; PostgreSQL has its indexes), and only outside a transaction: another
    connection would not see what the open one has not committed (tests, atomic
    blocks)."""
    connection = connections[DEFAULT_DB_ALIAS]
    return (
        THREADS > 1 and connection.vendor == "sqlite" and not connection.in_atomic_block
    )


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="search")
        return _pool


def _in_worker(run: Callable[..., dict], *args: Any) -> dict:
    try:
        return run(*args)
    finally:
        # The worker's own connection: closed, so no thread keeps a database open.
        connections.close_all()


def _collect(
    user: Any, wanted: list[str], words: list[str], scan: _Scan
) -> dict[str, list[list]]:
    """The ids of every wanted kind. Clients and contacts share a scan, so they run in
    one chain; every other kind is a chain of its own."""
    first = [kind for kind in ("clients", "contacts") if kind in wanted]
    chains = ([first] if first else []) + [
        [kind] for kind in wanted if kind not in first
    ]

    def run(chain: list[str]) -> dict:
        return {kind: _kind_ids(user, kind, words, scan) for kind in chain}

    found: dict[str, list[list]] = {}
    if _parallel() and len(chains) > 1:
        futures = [_executor().submit(_in_worker, run, chain) for chain in chains]
        for future in futures:
            found.update(future.result())
    else:
        for chain in chains:
            found.update(run(chain))
    return found


def _group(
    kind: str, found: list[list], words: list[str], per_kind: int, offset: int
) -> Group:
    label, sources = KINDS[kind]
    group = Group(kind=kind, label=label, offset=offset)
    skip, take = offset, per_kind
    for source, ids in zip(sources, found, strict=True):
        group.total += len(ids)
        shown = ids[skip : skip + take] if take > 0 else []
        skip = max(0, skip - len(ids))
        take -= len(shown)
        if not shown:
            continue
        rows = source.queryset().select_related(*source.related).in_bulk(shown)
        for pk in shown:
            title, piece, url, project, client = source.hit(rows[pk], words)
            group.hits.append(Hit(kind, title, piece, url, project, client))
    if group.total > COUNT_CAP:
        group.total, group.capped = COUNT_CAP, True
    return group


def search(
    user: Any,
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    per_kind: int = 5,
    offset: int = 0,
) -> list[Group]:
    """The groups of hits of ``query`` that ``user`` may see, in the order of ``KINDS``
    (only ``kinds`` when given), each with its total and ``per_kind`` hits from
    ``offset`` on.

    Raises ``matching.QueryError`` for a query that is empty or longer than
    ``MAX_QUERY_LENGTH`` and ``KeyError`` for an unknown kind; validate input first
    (``forms.SearchForm``). Client contacts get every group empty.
    """
    words = query_words(query)
    # Clients' search text is normalised the same way (clients.querysets).
    words = [normalise_query(word) for word in words]
    wanted = list(KINDS) if kinds is None else list(kinds)
    for kind in wanted:
        if kind not in KINDS:
            raise KeyError(kind)
    if is_client(user):
        return [
            Group(kind=kind, label=KINDS[kind][0]) for kind in KINDS if kind in wanted
        ]
    wanted = [kind for kind in KINDS if kind in wanted]
    found = _collect(user, wanted, words, _Scan(user, words))
    return [_group(kind, found[kind], words, per_kind, offset) for kind in wanted]
