"""The Simplified Chinese catalogue is complete and consistent, and pages really render in it.

The .po file is read with a small stdlib parser (no polib): enough of the PO format for what
``makemessages`` writes (comments, flags, msgctxt, msgid, msgid_plural, msgstr[n], continued
lines).
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clientfolio.core.models import User

LOCALE = Path(__file__).resolve().parents[1] / "clientfolio" / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH_MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo"

# %(name)s / %(n)d, bare %s / %d, and {{ name }} (blocktranslate writes it as %(name)s).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header (msgid "") included; obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current.msgid is not None:
            entries.append(current)
        current, target = Entry(), None

    keyword = re.compile(
        r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$"
    )
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            continue
        match = keyword.match(line)
        if match:
            name, index, value = (
                match.group(1),
                match.group(2),
                _unquote(match.group(3)),
            )
            if name == "msgid" and current.msgid is not None:
                finish()  # entries not separated by a blank line
            if name == "msgstr":
                slot = int(index) if index is not None else 0
                current.msgstr[slot] = value
                target = ("msgstr", slot)
            else:
                setattr(current, name, value)
                target = (name, 0)
                if name in ("msgctxt", "msgid") and not current.line:
                    current.line = number
            continue
        if line.startswith('"') and target is not None:
            value = _unquote(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], getattr(current, target[0]) + value)
            continue
        raise AssertionError(f"{path.name}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def placeholders(text: str) -> list[str]:
    found = []
    for token in PLACEHOLDER.findall(text):
        if token.startswith("{{"):
            token = "%(" + token.strip("{} ") + ")s"
        found.append(token)
    return sorted(found)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert ZH_PO.exists(), f"{ZH_PO} is missing: run `make messages`"
    return parse_po(ZH_PO)


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    return [e for e in entries if e.msgid != ""]


def test_parser_reads_the_catalogue(entries, messages):
    header = [e for e in entries if e.msgid == ""]
    assert len(header) == 1
    assert "Plural-Forms: nplurals=1; plural=0;" in header[0].msgstr[0]
    assert len(messages) > 100


def test_every_message_is_translated(messages):
    untranslated = [
        e.label
        for e in messages
        if not e.msgstr or any(not s.strip() for s in e.msgstr.values())
    ]
    assert not untranslated, "Untranslated:\n" + "\n".join(untranslated)


def test_plural_messages_have_exactly_one_form(messages):
    wrong = [
        e.label for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}
    ]
    assert not wrong, "Chinese has one plural form (msgstr[0] only):\n" + "\n".join(
        wrong
    )


def test_nothing_is_fuzzy(entries):
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "Fuzzy entries:\n" + "\n".join(fuzzy)


def test_placeholders_match(messages):
    mismatched = []
    for e in messages:
        expected = placeholders(e.msgid)
        for text in e.msgstr.values():
            if placeholders(text) != expected:
                mismatched.append(f"{e.label} -> {text!r}")
    assert not mismatched, "Placeholders differ:\n" + "\n".join(mismatched)


def test_source_strings_are_english(messages):
    """Source strings carry no Chinese hints like '(回访)': an English page shows them as is."""
    bilingual = [e.label for e in messages if re.search(r"[\u4e00-\u9fff]", e.msgid)]
    assert not bilingual, "Source strings should be English only:\n" + "\n".join(
        bilingual
    )


def test_compiled_catalogue_is_up_to_date(messages):
    """The .mo that Django loads holds the same translations as the .po."""
    assert ZH_MO.exists(), f"{ZH_MO} is missing: run `make messages`"
    with ZH_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in messages:
        if e.msgid_plural is not None or not e.msgstr.get(0):
            continue  # untranslated entries are reported by test_every_message_is_translated
        if e.msgctxt is not None:
            got = compiled.pgettext(e.msgctxt, e.msgid)
        else:
            got = compiled.gettext(e.msgid)
        if got != e.msgstr.get(0):
            stale.append(e.label)
    assert not stale, "Out of date in django.mo (run compilemessages):\n" + "\n".join(
        stale
    )


@pytest.mark.django_db
def test_client_list_renders_in_chinese(client):
    from tests.clients.factories import ClientFactory

    user = User.objects.create_user(
        username="u", password="p", role="staff", language="zh-hans"
    )
    ClientFactory(name="测试客户", owner=user)
    client.force_login(user)  # django-axes needs a request for client.login()

    response = client.get("/clients/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "客户" in html
    assert "客户经理" in html
    assert "新建客户" in html
    assert "Account manager" not in html
    assert "New client" not in html


@pytest.mark.django_db
def test_english_pages_carry_no_chinese_source_hints(client):
    user = User.objects.create_user(
        username="e", password="p", role="staff", language="en"
    )
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing needs you right now." in html
    assert "Clients by status" in html
    assert "回访" not in html


# Translating with gettext (not gettext_lazy) while a module is imported fixes the text in
# whatever language is active then: every later request sees it (issue 12, the timeline's
# status labels). Module and class bodies, default arguments and decorators run at import.
EAGER_GETTEXT = {"gettext", "ngettext", "pgettext", "npgettext"}


class _ImportTimeCalls(ast.NodeVisitor):
    def __init__(self, names: set[str]) -> None:
        self.names, self.depth, self.lines = names, 0, []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for evaluated in (*node.decorator_list, *node.args.defaults):
            self.visit(evaluated)
        for evaluated in node.args.kw_defaults:
            if evaluated is not None:
                self.visit(evaluated)
        self.depth += 1
        for statement in node.body:
            self.visit(statement)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Call(self, node: ast.Call) -> None:
        if (
            self.depth == 0
            and isinstance(node.func, ast.Name)
            and node.func.id in self.names
        ):
            self.lines.append(node.lineno)
        self.generic_visit(node)


def test_no_message_is_translated_at_import_time():
    package = LOCALE.parent
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module == "django.utils.translation"
            for alias in node.names
            if alias.name in EAGER_GETTEXT
        }
        if not names:
            continue
        visitor = _ImportTimeCalls(names)
        visitor.visit(tree)
        found += [f"{path.relative_to(package.parent)}:{n}" for n in visitor.lines]
    assert not found, "gettext at import time (use gettext_lazy):\n" + "\n".join(found)
