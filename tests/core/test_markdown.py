"""User Markdown renders, and nothing in it can run in a browser."""

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.core.markdown import render_markdown


def test_markdown_renders_lists_emphasis_and_chinese():
    html = render_markdown("**决定**：采用方案 B\n\n- 张伟 负责接口\n- 李娜 负责测试")

    assert "<strong>决定</strong>" in html
    assert "<li>张伟 负责接口</li>" in html


def test_raw_html_and_script_are_not_rendered():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">')

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_javascript_links_are_dropped_and_links_get_a_safe_rel():
    html = render_markdown("[bad](javascript:alert(1)) [good](https://example.com)")

    assert 'href="javascript' not in html
    assert 'href="https://example.com"' in html
    assert "noopener" in html


@given(st.text(max_size=300))
def test_no_input_produces_a_script_or_event_handler(text):
    html = render_markdown(text).lower()

    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert 'href="javascript' not in html
