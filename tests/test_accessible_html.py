"""Names a screen reader reads and the markup a phone and a printer use, in the built HTML
(kb.accessible.extension, the page actions, the checklist page); the browser suite checks the same
from a reader's side (tests/browser/test_reading_aids.py)."""
from __future__ import annotations

import pathlib
import re
import textwrap

import markdown

from kb.accessible.extension import AccessibleExtension

PAGE = "ketamine/safety"


def _article(site: pathlib.Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def test_extension_names_headings_markers_back_links_boxes_and_labels_cells() -> None:
    text = textwrap.dedent("""\
        ## Risks and *harms*

        !!! abstract "Key points"
            Ketamine raises blood pressure.[^a] Twice.[^a]

        | Study | Who | Found |
        |---|---|---|
        | Feder | 41 adults | less PTSD |

        [^a]: A source.
        """)
    html = markdown.markdown(text, extensions=["admonition", "footnotes", "tables", "toc", AccessibleExtension()],
                             extension_configs={"toc": {"permalink": True}})
    assert '<h2 aria-label="Risks and harms" id="risks-and-harms">' in html
    assert 'aria-label="Link to this section: Risks and harms" class="headerlink"' in html
    assert '<div aria-label="Key points" class="admonition abstract" role="note">' in html
    assert html.count('aria-label="Reference 1" class="footnote-ref"') == 2
    assert 'aria-label="Back to reference 1 in the text" class="footnote-backref" href="#fnref:a"' in html
    assert 'aria-label="Back to reference 1, use 2, in the text" class="footnote-backref" href="#fnref2:a"' in html
    assert '<td data-label="Who" role="cell">41 adults</td>' in html
    assert '<table data-stack="" role="table">' in html


def test_raw_html_in_a_heading_or_box_title_is_text_in_the_name() -> None:
    html = markdown.markdown('## <span class="md-tag">x</span> "q" <b>b</b>\n\n!!! note "<i>Hi</i>"\n    y\n',
                             extensions=["admonition", "toc", AccessibleExtension()],
                             extension_configs={"toc": {"permalink": True}})
    assert '<h2 aria-label="x &quot;q&quot; b" id=' in html
    assert '<div aria-label="Hi" class="admonition note" role="note">' in html
    assert "wzxhzdk" not in html and html.count("<span") == 1


def test_two_column_tables_are_left_as_they_are() -> None:
    html = markdown.markdown("| A | B |\n|---|---|\n| 1 | 2 |\n", extensions=["tables", AccessibleExtension()])
    assert "data-label" not in html and "<table>" in html


def test_built_page_has_no_pilcrow_or_arrow_or_bare_digit_names(built_site: pathlib.Path) -> None:
    article = _article(built_site, PAGE)
    # Every heading with a permalink (the ones Markdown makes) is named by its own text.
    headings = re.findall(r"<h[1-6]([^>]*)>((?:(?!</h[1-6]>).)*headerlink(?:(?!</h[1-6]>).)*)</h[1-6]>", article)
    assert len(headings) > 5
    names = [re.search(r'aria-label="([^"]*)"', attrs) for attrs, _ in headings]
    assert all(names), [attrs for attrs, _ in headings]
    assert not [n.group(1) for n in names if "¶" in n.group(1) or not n.group(1).strip()]
    backrefs = re.findall(r"<a ([^>]*class=\"footnote-backref\"[^>]*)>", article)
    assert backrefs and all(re.search(r'aria-label="Back to reference \d+', a) for a in backrefs)
    refs = re.findall(r"<a ([^>]*class=\"footnote-ref\"[^>]*)>", article)
    assert refs and all(re.search(r'aria-label="Reference \d+"', a) for a in refs)
    assert re.search(r'<div aria-label="Key points" class="admonition abstract" role="note">', article)


def test_content_note_is_a_named_note(built_site: pathlib.Path) -> None:
    article = _article(built_site, "treatment/recommended")
    assert '<div aria-label="Content note" class="admonition warning" role="note">' in article


def test_study_table_cells_carry_their_headers(built_site: pathlib.Path) -> None:
    article = _article(built_site, "ketamine/evidence-ptsd")
    labels = re.findall(r'<td data-label="([^"]*)"', article)
    for header in ("Study", "Who took part", "What was tested", "What was found", "Main limits"):
        assert header in labels, f"no cell is labelled {header!r}"


def test_page_actions_are_one_row_and_print_button_only_where_asked(built_site: pathlib.Path) -> None:
    checklist = _article(built_site, "ketamine/questions-to-ask")
    assert re.search(r'<div class="kb-actions">\s*<button type="button" class="md-content__button kb-print" hidden>',
                     checklist)
    assert '<div class="checklist">' in checklist
    other = _article(built_site, PAGE)
    assert '<div class="kb-actions">' in other and "kb-print" not in other
    assert "onclick" not in checklist
