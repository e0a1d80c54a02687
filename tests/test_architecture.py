"""The pure domain modules import nothing from Django, so they run and are tested alone."""

import subprocess
import sys

import pytest

PURE_MODULES = [
    "clientfolio.core.money",
    "clientfolio.core.bigrams",
    "clientfolio.clients.segmentation",
    "clientfolio.projects.workflow",
    "clientfolio.comms.eml",
    "clientfolio.schedule.workload",
    "clientfolio.schedule.buffers",
    "clientfolio.schedule.engine",
    "clientfolio.schedule.montecarlo",
    "clientfolio.schedule.notation",
    "clientfolio.finance.evm",
    "clientfolio.finance.pricing",
    "clientfolio.closure.checklist",
    "clientfolio.blueprints.structure",
    "clientfolio.risks.scoring",
    "clientfolio.quality.rules",
    "clientfolio.reports.periods",
    "clientfolio.reports.sections",
    "clientfolio.reports.matching",
    "clientfolio.reports.health",
    "clientfolio.reports.rfm",
    "clientfolio.reports.satisfaction",
    "clientfolio.reports.curves",
    "clientfolio.ops.crypto",
    "clientfolio.ops.retention",
    "clientfolio.interchange.plan",
    "clientfolio.interchange.mspdi",
    "clientfolio.interchange.sheet",
    "clientfolio.interchange.trello",
    "clientfolio.interchange.table",
    "clientfolio.interchange.tracker",
    "clientfolio.interchange.jira",
    "clientfolio.interchange.asana",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_loads_no_django(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{module} loaded Django modules: {result.stdout}"


def test_core_imports_no_domain_app():
    """core is the shared base: it may not import a domain app."""
    from pathlib import Path

    core = Path(__file__).resolve().parents[1] / "clientfolio" / "core"
    domain = (
        "clients",
        "projects",
        "comms",
        "schedule",
        "documents",
        "finance",
        "risks",
        "quality",
        "closure",
    )
    offenders = []
    for path in core.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for app in domain:
            if f"from clientfolio.{app}" in text or f"import clientfolio.{app}" in text:
                offenders.append(f"{path.name} imports clientfolio.{app}")
    assert not offenders, offenders


# Views that still choose between their page and an htmx partial themselves (issue 10
# moved the risks and schedule lists to ``render_list``; these are left to do). The comment
# thread is no list page: its posts answer with the thread fragment, its GET with the page.
OWN_PARTIAL_CHOICE = {"clients/views.py", "core/job_views.py", "comments/views.py"}


def test_list_pages_choose_the_page_or_the_htmx_partial_through_render_list():
    """One home for 'the whole page, or only its list for htmx' (and its Vary header):
    ``core.rendering.render_list``; a view that decides it itself drifts from it."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "clientfolio"
    deciding = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "history_restore_request" in path.read_text(encoding="utf-8")
    )
    assert set(deciding) - {"core/rendering.py"} == OWN_PARTIAL_CHOICE
