"""The documents part of the benchmark data set: 50,000 documents (one version each) over
the existing projects, the busiest project holding up to 10,000 of them, each project with
its folders from the template.

Honest about the files: every version row points at **one shared small PDF** written once
to storage (``documents/scale/shared-sample.pdf``), with that file's real size and
SHA-256. Writing 50,000 distinct files would measure the disk, not the pages; the list,
search and detail pages never open the file, and a download of any scale document serves
the shared one. Do not purge scale documents: purging one deletes the shared file for all
(the scale data set is for benchmarks only). Rows go in through ``bulk_create``; there are
no history rows and no download log.
"""

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import OuterRef, Subquery

from clientfolio.documents.models import (
    Document,
    DocumentVersion,
    Folder,
    FolderTemplate,
)
from clientfolio.projects.models import Project

__all__ = ["DocumentScaleCounts", "SHARED_FILE", "seed", "seed_from_options"]

SHARED_FILE = "documents/scale/shared-sample.pdf"
SAMPLE_PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n"
    b"% Clientfolio scale data: one shared sample file.\ntrailer <<>>\n%%EOF\n"
)
KINDS = [
    "需求规格说明书",
    "接口设计说明",
    "数据库设计",
    "会议纪要",
    "周报",
    "测试报告",
    "验收报告",
    "实施合同",
    "培训手册",
    "上线方案",
    "变更申请单",
    "用户手册",
]
MODULES = ["审批流程", "报表中心", "权限管理", "数据迁移", "移动端", "消息通知", "总体"]
NOTES = [
    "",
    "",
    "双方盖章版",
    "客户已确认",
    "内部评审后修订",
    "包含数据库表结构说明",
    "待客户签字",
    "第三轮评审意见已合并",
]


@dataclass
class DocumentScaleCounts:
    documents: int = 0
    projects: int = 0
    biggest: int = 0


def _shared_file() -> tuple[str, int, str]:
    """The shared sample file (written once): its storage name, size and SHA-256."""
    if not default_storage.exists(SHARED_FILE):
        saved = default_storage.save(SHARED_FILE, ContentFile(SAMPLE_PDF))
        assert saved == SHARED_FILE, saved
    return SHARED_FILE, len(SAMPLE_PDF), hashlib.sha256(SAMPLE_PDF).hexdigest()


def _folders(projects: list[Project]) -> dict[int, list[int]]:
    """Each project's folder ids, creating the template folders where a project has none."""
    templates = list(FolderTemplate.objects.order_by("position", "id"))
    have = set(
        Folder.objects.filter(project__in=projects).values_list("project_id", flat=True)
    )
    Folder.objects.bulk_create(
        [
            Folder(project=project, template=template, position=template.position)
            for project in projects
            if project.pk not in have
            for template in templates
        ],
        batch_size=2000,
    )
    folders: dict[int, list[int]] = {}
    for pk, project_id in Folder.objects.filter(project__in=projects).values_list(
        "pk", "project_id"
    ):
        folders.setdefault(project_id, []).append(pk)
    return folders


def _shares(total: int, projects: int, biggest: int) -> list[int]:
    """How many documents each project gets: the first ``biggest``, the rest spread."""
    if projects == 0:
        return []
    first = min(biggest, total)
    rest = total - first
    if projects == 1:
        return [total]
    per, extra = divmod(rest, projects - 1)
    return [first] + [per + (1 if i < extra else 0) for i in range(projects - 1)]


def seed(
    *,
    documents: int = 50_000,
    biggest: int = 10_000,
    seed: int = 20260101,
    batch: int = 5000,
    progress: Callable[[int], object] | None = None,
) -> DocumentScaleCounts:
    """Add ``documents`` documents with one version each over the existing projects."""
    rng = random.Random(seed)
    projects = list(Project.objects.order_by("pk"))
    counts = DocumentScaleCounts(projects=len(projects))
    if not projects or documents <= 0:
        return counts
    name, size, sha256 = _shared_file()
    folders = _folders(projects)
    plan: list[tuple[Project, int]] = [
        (project, share)
        for project, share in zip(
            projects, _shares(documents, len(projects), biggest), strict=True
        )
        if share
    ]
    counts.biggest = plan[0][1] if plan else 0
    pending: list[tuple[Document, str, str]] = []

    def flush() -> None:
        if not pending:
            return
        with transaction.atomic():
            created = Document.objects.bulk_create([d for d, _n, _note in pending])
            DocumentVersion.objects.bulk_create(
                [
                    DocumentVersion(
                        document=document,
                        number=1,
                        file=name,
                        original_name=file_name,
                        size=size,
                        sha256=sha256,
                        content_type="application/pdf",
                        uploaded_by_id=document.created_by_id,
                        note=note,
                    )
                    for document, (_d, file_name, note) in zip(
                        created, pending, strict=True
                    )
                ]
            )
            Document.objects.filter(pk__in=[d.pk for d in created]).update(
                current_version=Subquery(
                    DocumentVersion.objects.filter(document=OuterRef("pk"))
                    .order_by("-number")
                    .values("pk")[:1]
                )
            )
        counts.documents += len(pending)
        if progress is not None:
            progress(len(pending))
        pending.clear()

    for project, share in plan:
        project_folders = folders.get(project.pk, [None])  # type: ignore[list-item]
        for n in range(share):
            title = f"{rng.choice(MODULES)}{rng.choice(KINDS)}-{n + 1:05d}"
            notes = rng.choice(NOTES)
            file_name = f"{project.code}-{title}.pdf"
            document = Document(
                project=project,
                folder_id=rng.choice(project_folders),
                title=title,
                notes=notes,
                visibility=Document.Visibility.SHARED
                if rng.random() < 0.2
                else Document.Visibility.INTERNAL,
                created_by_id=project.manager_id,
                search_text=" ".join([title, notes, file_name]).lower(),
            )
            pending.append((document, file_name, "初稿" if n % 3 == 0 else ""))
            if len(pending) >= batch:
                flush()
    flush()
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The documents part of ``clientfolio seed-scale``; returns a summary line."""
    from tqdm import tqdm

    total = options.get("documents", 50_000)
    bar = tqdm(total=total, unit="doc", disable=options.get("verbosity", 1) == 0)
    try:
        counts = seed(
            documents=total,
            biggest=min(10_000, total),
            seed=options["seed"] + 4,
            batch=options.get("batch", 5000),
            progress=bar.update,
        )
    finally:
        bar.close()
    return (
        f"Seeded {counts.documents} documents over {counts.projects} projects (the "
        f"biggest has {counts.biggest}); every version points at the shared sample "
        f"file {SHARED_FILE}."
    )
