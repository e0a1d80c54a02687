"""The column mapping of client imports (pure: no database)."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clientfolio.clients import mapping

FIELDS = list(mapping.HEADER_SYNONYMS)
headers = st.lists(st.text(max_size=12), max_size=12)


def test_common_chinese_and_english_headers_are_guessed():
    header = [
        "公司名称",
        "联系人",
        "手机",
        "邮箱",
        "行业",
        "来源",
        "Account Name",
        "Industry",
    ]
    assert mapping.guess_mapping(header) == [
        "name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "industry",
        "source",
        None,  # a second client name is not guessed: the first column took it
        None,
    ]


def test_case_width_spaces_and_required_markers_do_not_matter():
    header = ["  ＡＣＣＯＵＮＴ　ＮＡＭＥ ", "Contact_Name*", "电话(必填)", "E-Mail"]
    assert mapping.guess_mapping(header) == [
        "name",
        "contact_name",
        "contact_phone",
        "contact_email",
    ]


def test_our_own_labels_win_over_the_synonyms():
    assert mapping.guess_mapping(["Company"], {"Company": "notes"}) == ["notes"]


@settings(max_examples=60)
@given(headers)
def test_a_guess_has_one_entry_per_column_and_never_a_field_twice(header):
    guessed = mapping.guess_mapping(header)
    assert len(guessed) == len(header)
    single = [f for f in guessed if f and f not in mapping.JOINABLE]
    assert len(single) == len(set(single))
    assert all(f is None or f in FIELDS for f in guessed)


@settings(max_examples=60)
@given(headers, st.dictionaries(st.text(max_size=12), st.sampled_from([*FIELDS, None])))
def test_a_preset_never_maps_a_field_twice(header, columns):
    applied = mapping.apply_preset(header, columns)
    assert len(applied) == len(header)
    single = [f for f in applied if f and f not in mapping.JOINABLE]
    assert len(single) == len(set(single))


def test_the_zoho_contacts_preset_maps_its_export_layout():
    (zoho,) = [p for p in mapping.BUILT_IN_PRESETS if p.slug == "zoho-contacts"]
    header = ["Record Id", "First Name", "Last Name", "Account Name", "Email", "Mobile"]
    assert mapping.apply_preset(header, zoho.columns) == [
        None,
        "contact_name",
        "contact_name",
        "name",
        "contact_email",
        None,
    ]


def test_the_fxiaoke_accounts_preset_maps_its_export_layout():
    (fx,) = [p for p in mapping.BUILT_IN_PRESETS if p.slug == "fxiaoke-accounts"]
    header = ["客户名称", "客户级别", "客户来源", "行业", "详细地址", "负责人", "备注"]
    assert mapping.apply_preset(header, fx.columns) == [
        "name",
        "tier_override",
        "source",
        "industry",
        "address",
        None,
        "notes",
    ]


def test_a_mapping_without_the_client_name_is_refused():
    assert mapping.mapping_problems([None, "contact_name"], FIELDS) == ["no_name"]
    assert mapping.mapping_problems(["name", "name"], FIELDS) == ["twice:name"]
    assert mapping.mapping_problems(["name", "shoe"], FIELDS) == ["unknown:shoe"]
    assert mapping.mapping_problems(["name", "notes", "notes"], FIELDS) == []


def test_joined_cells_keep_chinese_names_together():
    assert mapping.join_cells("contact_name", ["John", "Smith"]) == "John Smith"
    assert mapping.join_cells("contact_name", ["王", "芳"]) == "王芳"
    assert mapping.join_cells("address", ["", "Main St 1", "Hangzhou"]) == (
        "Main St 1 Hangzhou"
    )
    assert mapping.join_cells("tags", ["a", "b"]) == "a, b"


@settings(max_examples=60)
@given(st.text(max_size=20))
@example("a \u0304")  # a space between a letter and its accent, dropped as noise
def test_normalize_is_idempotent(text):
    assert mapping.normalize(mapping.normalize(text)) == mapping.normalize(text)
