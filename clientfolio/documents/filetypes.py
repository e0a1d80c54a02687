"""File names and types of uploads, in pure Python: name sanitising, the type of a file
judged by its first bytes, and whether that agrees with the name's extension."""

import re
import unicodedata

__all__ = [
    "ALLOWED_EXTENSIONS",
    "content_type_for",
    "is_executable",
    "kind_of",
    "sanitise_name",
]

# Extension -> the content kind it must have.
ALLOWED_EXTENSIONS: dict[str, str] = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "docx": "zip",
    "xlsx": "zip",
    "pptx": "zip",
    "zip": "zip",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
    "txt": "text",
    "md": "text",
    "csv": "text",
    "json": "text",
    "xml": "text",
    "log": "text",
}

_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "txt": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "xml": "application/xml",
    "log": "text/plain",
}

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
]
_EXECUTABLES = (
    b"MZ",  # Windows PE
    b"\x7fELF",  # Linux
    b"#!",  # scripts
    b"\xcf\xfa\xed\xfe",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def sanitise_name(name: str, *, max_length: int = 200) -> str:
    """The file's own name without any folder part, control or reserved characters,
    leading dots or surrounding spaces; at most ``max_length`` characters, keeping the
    extension. Never empty ("file")."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) < 16:
            name = stem[: max_length - len(ext) - 1] + "." + ext
        else:
            name = name[:max_length]
    return name or "file"


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def is_executable(head: bytes) -> bool:
    """Whether the first bytes are those of a program or script."""
    return head.startswith(_EXECUTABLES)


def kind_of(head: bytes) -> str:
    """The kind of content from its first bytes (at least 512 when the file has them):
    pdf, png, jpeg, gif, zip, ole, text, executable, or "" when unknown."""
    if is_executable(head):
        return "executable"
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if b"\x00" in head:
        return ""
    text = head.removeprefix(b"\xef\xbb\xbf")
    # A multi-byte character may be cut at the end of the sample.
    for cut in range(4):
        try:
            text[: len(text) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return "text"
    try:
        text.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "text"


def content_type_for(name: str) -> str:
    return _CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
NAMING_PLACEHOLDERS = ("project_code", "category", "title", "version")


def naming_rule_errors(rule: str) -> list[str]:
    """Placeholders of ``rule`` that the naming rule does not know."""
    return [p for p in _PLACEHOLDER.findall(rule) if p not in NAMING_PLACEHOLDERS]


def match_naming_rule(
    rule: str, stem: str, values: dict[str, str]
) -> tuple[bool, dict[str, str]]:
    """Whether a file name's ``stem`` (no extension) follows ``rule``. ``values`` holds
    the known placeholders; an empty value matches any text, and what it matched is
    returned (so a title can be taken from a well-formed file name)."""
    pattern, names = "", []
    position = 0
    for match in _PLACEHOLDER.finditer(rule):
        pattern += re.escape(rule[position : match.start()])
        key = match.group(1)
        value = values.get(key, "")
        if value:
            pattern += re.escape(value)
        elif key in names:
            pattern += f"(?P={key})"
        else:
            pattern += f"(?P<{key}>.+?)"
            names.append(key)
        position = match.end()
    pattern += re.escape(rule[position:])
    found = re.fullmatch(pattern, stem, flags=re.IGNORECASE)
    if found is None:
        return False, {}
    return True, {key: found.group(key) for key in names}


def suggest_name(rule: str, values: dict[str, str], extension: str) -> str:
    """The file name the rule asks for, with ``values`` filled in."""
    stem = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), "") or m.group(1), rule)
    return sanitise_name(f"{stem}.{extension}" if extension else stem)
