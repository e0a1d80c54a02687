"""Column mapping of a client import: which column of a file from another CRM feeds which
field of ours.

Pure Python (standard library only). A *mapping* is a list with one entry per column of
the file, in order: the key of one of our import fields (``exchange.COLUMNS``) or
``None`` for a column left out. Several columns may feed one text field (Zoho's "First
Name" and "Last Name" both feed the contact's name); their cells are joined.

Headers are compared after ``normalize``: case, width (full-width ＡＢＣ), spaces,
punctuation and required-field markers (``*``, ``(必填)``) do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BUILT_IN_PRESETS",
    "HEADER_SYNONYMS",
    "JOINABLE",
    "VALUE_SYNONYMS",
    "Preset",
    "apply_preset",
    "guess_mapping",
    "join_cells",
    "mapping_problems",
    "normalize",
]

Mapping_ = list[str | None]

# Header names other tools use for our fields, in English and Chinese (our own labels
# and keys are added by the caller, in every language we speak).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "名称",
        "公司名称",
        "客户名称",
        "客户名",
        "企业名称",
        "单位名称",
        "公司",
        "客户",
        "account name",
        "account",
        "company",
        "company name",
        "organization",
        "organisation",
        "organization name",
        "customer",
        "customer name",
        "client",
        "client name",
    ),
    "kind": ("客户类型", "类型", "account type", "type", "customer type"),
    "status": ("状态", "客户状态", "成交状态", "status", "account status", "stage"),
    "industry": ("行业", "所属行业", "一级行业", "industry"),
    "source": (
        "来源",
        "客户来源",
        "线索来源",
        "获客渠道",
        "source",
        "lead source",
        "account source",
    ),
    "owner": ("负责人", "客户负责人", "客户经理", "销售", "owner", "account owner"),
    "tier_override": (
        "客户级别",
        "客户等级",
        "级别",
        "等级",
        "tier",
        "rating",
        "level",
    ),
    "website": (
        "网址",
        "网站",
        "公司网址",
        "官网",
        "website",
        "web site",
        "url",
        "homepage",
    ),
    "address": (
        "地址",
        "详细地址",
        "公司地址",
        "办公地址",
        "address",
        "billing street",
        "street",
        "billing address",
    ),
    "tags": ("标签", "tag", "tags", "labels"),
    "notes": ("备注", "描述", "说明", "notes", "note", "description", "remarks"),
    "contact_name": (
        "联系人",
        "联系人姓名",
        "姓名",
        "联系人名称",
        "contact",
        "contact name",
        "full name",
        "name of contact",
        "first name",
        "last name",
        "姓",
        "名",
    ),
    "contact_title": ("职务", "职位", "联系人职务", "title", "job title", "position"),
    "contact_phone": (
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话号码",
        "联系人电话",
        "联系人手机",
        "phone",
        "mobile",
        "mobile phone",
        "telephone",
        "tel",
        "phone number",
        "contact phone",
    ),
    "contact_email": (
        "邮箱",
        "电子邮箱",
        "邮件",
        "电子邮件",
        "邮箱地址",
        "联系人邮箱",
        "email",
        "e-mail",
        "email address",
        "mail",
        "contact email",
    ),
    "contact_wechat": ("微信", "微信号", "联系人微信", "wechat", "weixin", "wechat id"),
    "contact_primary": ("主联系人", "是否主联系人", "primary", "primary contact"),
}

# Fields whose cells may come from several columns, and how they are joined.
JOINABLE: dict[str, str] = {
    "contact_name": " ",
    "address": " ",
    "notes": "\n",
    "tags": ", ",
}

# Values other tools write in our choice fields, normalised, to our value.
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "industry": {
        "technology": "software",
        "software": "software",
        "it": "software",
        "internet": "software",
        "互联网": "software",
        "软件": "software",
        "信息技术": "software",
        "it服务": "software",
        "asp": "software",
        "aspapplicationserviceprovider": "software",
        "systemsintegrator": "software",
        "erpenterpriseresourceplanning": "software",
        "managementisv": "software",
        "nonmanagementisv": "software",
        "制造": "manufacturing",
        "制造业": "manufacturing",
        "financialservices": "finance",
        "banking": "finance",
        "insurance": "finance",
        "金融": "finance",
        "银行": "finance",
        "保险": "finance",
        "retail": "retail",
        "零售": "retail",
        "消费品": "retail",
        "healthcare": "healthcare",
        "医疗": "healthcare",
        "医疗健康": "healthcare",
        "education": "education",
        "教育": "education",
        "governmentmilitary": "government",
        "government": "government",
        "政府": "government",
        "政府机构": "government",
        "energy": "energy",
        "能源": "energy",
        "construction": "construction",
        "realestate": "construction",
        "建筑": "construction",
        "房地产": "construction",
        "transportation": "logistics",
        "logistics": "logistics",
        "物流": "logistics",
        "交通物流": "logistics",
        "media": "media",
        "entertainment": "media",
        "传媒": "media",
        "communications": "telecom",
        "telecommunications": "telecom",
        "wirelessindustry": "telecom",
        "datatelecomoem": "telecom",
        "通信": "telecom",
        "电信": "telecom",
        "other": "other",
        "其他": "other",
    },
    "source": {
        "employeereferral": "referral",
        "externalreferral": "referral",
        "referral": "referral",
        "转介绍": "referral",
        "客户介绍": "referral",
        "介绍": "referral",
        "webdownload": "website",
        "webresearch": "website",
        "onlinestore": "website",
        "chat": "website",
        "website": "website",
        "官网": "website",
        "网站": "website",
        "网络": "website",
        "tradeshow": "exhibition",
        "seminarpartner": "exhibition",
        "internalseminar": "exhibition",
        "展会": "exhibition",
        "会议": "exhibition",
        "活动": "exhibition",
        "招投标": "tender",
        "招标": "tender",
        "partner": "partner",
        "合作伙伴": "partner",
        "渠道": "partner",
        "coldcall": "outbound",
        "advertisement": "outbound",
        "salesemailalias": "outbound",
        "电话营销": "outbound",
        "陌拜": "outbound",
        "地推": "outbound",
        "老客户": "existing",
        "other": "other",
        "其他": "other",
    },
    "status": {
        "成交客户": "active",
        "已成交": "active",
        "合作中": "active",
        "customer": "active",
        "未成交": "prospect",
        "潜在客户": "prospect",
        "意向客户": "prospect",
        "prospect": "prospect",
        "analyst": "prospect",
        "lead": "prospect",
        "沉睡": "dormant",
        "休眠": "dormant",
        "inactive": "dormant",
        "流失": "lost",
        "已流失": "lost",
        "lost": "lost",
    },
    "kind": {
        "企业客户": "company",
        "企业": "company",
        "公司": "company",
        "个人客户": "individual",
        "个人": "individual",
        "person": "individual",
    },
    "tier_override": {
        "重要客户": "A",
        "a类": "A",
        "b类": "B",
        "c类": "C",
        "hot": "A",
        "warm": "B",
        "cold": "C",
    },
}

_MARKERS = re.compile(r"[（(]\s*(必填|选填|required|optional)\s*[)）]|\*")
_NOISE = re.compile(r"[\s\-_.:：/\\·'\"“”‘’()（）\[\]【】]+")


def normalize(text: str) -> str:
    """The form two headers (or values) are compared in: NFKC (full-width → ASCII),
    required markers removed, case folded, spaces and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).strip().lstrip("\ufeff")
    text = _MARKERS.sub("", text)
    # Dropping a mark or a space can bring a letter and a combining accent together:
    # compose them again, so normalising twice gives the same.
    return unicodedata.normalize("NFKC", _NOISE.sub("", text.casefold()))


def _lookup(known: Mapping[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for field, names in HEADER_SYNONYMS.items():
        for name in names:
            table.setdefault(normalize(name), field)
    # The caller's own labels and keys win over the synonyms.
    table.update({normalize(name): field for name, field in known.items()})
    return table


def guess_mapping(headers: Sequence[str], known: Mapping[str, str] = {}) -> Mapping_:
    """A field for each header, from its name (``known`` maps our own labels and keys
    to fields; ``HEADER_SYNONYMS`` adds other tools' names). A header not recognised,
    and any later header naming a field already taken by an earlier one (unless the
    field is ``JOINABLE``), maps to ``None``. Never raises."""
    table = _lookup(known)
    mapping: Mapping_ = []
    taken: set[str] = set()
    for header in headers:
        field = table.get(normalize(header)) if header.strip() else None
        if field is not None and field in taken and field not in JOINABLE:
            field = None
        if field is not None:
            taken.add(field)
        mapping.append(field)
    return mapping


@dataclass(frozen=True)
class Preset:
    """A named layout: header name (as the other tool writes it) → our field, or
    ``None`` to leave that column out on purpose."""

    slug: str
    name: str
    columns: Mapping[str, str | None]


def apply_preset(
    headers: Sequence[str],
    columns: Mapping[str, str | None],
    known: Mapping[str, str] = {},
) -> Mapping_:
    """The mapping of ``headers`` under a preset's ``columns`` (compared normalised);
    headers the preset does not name are guessed (``guess_mapping``)."""
    named = {normalize(header): field for header, field in columns.items()}
    guessed = guess_mapping(headers, known)
    mapping: Mapping_ = []
    for header, guess in zip(headers, guessed, strict=True):
        key = normalize(header)
        mapping.append(named[key] if key in named else guess)
    # A guessed column may collide with one the preset names: the preset wins.
    seen: set[str] = set()
    for index, field in enumerate(mapping):
        if field is None or field in JOINABLE:
            continue
        if field in seen:
            mapping[index] = None
        seen.add(field)
    return mapping


def mapping_problems(mapping: Sequence[str | None], fields: Iterable[str]) -> list[str]:
    """What makes a mapping unusable, as codes: ``"no_name"`` (nothing feeds the
    client name), ``"unknown:<field>"`` and ``"twice:<field>"`` (a field that cannot
    be joined fed by two columns). Empty when the mapping can be used."""
    allowed = set(fields)
    problems: list[str] = []
    if "name" not in mapping:
        problems.append("no_name")
    seen: set[str] = set()
    for field in mapping:
        if field is None:
            continue
        if field not in allowed:
            problems.append(f"unknown:{field}")
        elif field in seen and field not in JOINABLE:
            problems.append(f"twice:{field}")
        seen.add(field)
    return list(dict.fromkeys(problems))


def _is_cjk(text: str) -> bool:
    return bool(text) and all(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def join_cells(field: str, cells: Sequence[str]) -> str:
    """The cells of the columns that feed one field, joined: non-empty ones in column
    order, with ``JOINABLE[field]`` between them, except that Chinese name parts
    (姓 + 名) are joined without a space."""
    parts = [cell for cell in cells if cell]
    if field == "contact_name" and parts and all(_is_cjk(p) for p in parts):
        return "".join(parts)
    return JOINABLE.get(field, " ").join(parts)


# Zoho CRM's export (Setup → Data Administration → Export, or a list view's Export) writes
# each module's field labels as headers. Owner columns name Zoho users, not ours, and are
# left out; map them by hand if the names are user names here.
_ZOHO_ACCOUNTS: dict[str, str | None] = {
    "Record Id": None,
    "Account Owner": None,
    "Account Name": "name",
    "Account Type": None,
    "Industry": "industry",
    # The company's switchboard: a contact needs a name, and an account row has none.
    "Phone": None,
    "Website": "website",
    "Billing Street": "address",
    "Billing City": "address",
    "Billing State": "address",
    "Billing Code": None,
    "Billing Country": "address",
    "Description": "notes",
    "Tag": "tags",
    "Rating": None,
    "Account Number": None,
    "Employees": None,
    "Annual Revenue": None,
}
_ZOHO_CONTACTS: dict[str, str | None] = {
    "Record Id": None,
    "Contact Owner": None,
    "Lead Source": "source",
    "First Name": "contact_name",
    "Last Name": "contact_name",
    "Account Name": "name",
    "Email": "contact_email",
    "Title": "contact_title",
    "Department": None,
    "Phone": "contact_phone",
    "Mobile": None,
    "Mailing Street": "address",
    "Mailing City": "address",
    "Mailing State": "address",
    "Mailing Country": "address",
    "Description": "notes",
    "Tag": "tags",
}
# 纷享销客 exports the list's columns under the field labels of its objects: 客户
# (AccountObj) and 联系人 (ContactObj).
_FXIAOKE_ACCOUNTS: dict[str, str | None] = {
    "客户名称": "name",
    "客户编号": None,
    "客户级别": "tier_override",
    "客户来源": "source",
    "来源": "source",
    "行业": "industry",
    "一级行业": "industry",
    "二级行业": None,
    "成交状态": "status",
    # The company's own phone and mail: a contact needs a name, and 客户 rows have none.
    "电话": None,
    "网址": "website",
    "邮件": None,
    "国家": None,
    "省": "address",
    "市": "address",
    "区": "address",
    "详细地址": "address",
    "负责人": None,
    "所属部门": None,
    "备注": "notes",
    "创建人": None,
    "创建时间": None,
    "最后修改时间": None,
    "最后跟进时间": None,
}
_FXIAOKE_CONTACTS: dict[str, str | None] = {
    "姓名": "contact_name",
    "客户名称": "name",
    "所属客户": "name",
    "职务": "contact_title",
    "部门": None,
    "手机": "contact_phone",
    "手机号码": "contact_phone",
    "电话": None,
    "邮件": "contact_email",
    "邮箱地址": "contact_email",
    "微信": "contact_wechat",
    "主联系人": "contact_primary",
    "性别": None,
    "生日": None,
    "负责人": None,
    "备注": "notes",
    "创建时间": None,
}

BUILT_IN_PRESETS: tuple[Preset, ...] = (
    Preset("zoho-accounts", "Zoho CRM — Accounts", _ZOHO_ACCOUNTS),
    Preset("zoho-contacts", "Zoho CRM — Contacts", _ZOHO_CONTACTS),
    Preset("fxiaoke-accounts", "纷享销客 — 客户", _FXIAOKE_ACCOUNTS),
    Preset("fxiaoke-contacts", "纷享销客 — 联系人", _FXIAOKE_CONTACTS),
)
