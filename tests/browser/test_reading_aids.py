"""Reader tasks on a phone (390 x 844, touch) and a desktop: read a study table, tap a note marker or a
term, close a tooltip with Escape, hear sensible names, find the page actions, print the checklist."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import goto

DEVICES = ["phone", "desktop"]
TABLE_PAGE = "/ketamine/evidence-ptsd/"
TARGET_PAGES = ["/treatment/recommended/", "/ketamine/safety/"]
CHECKLIST_PAGE = "/ketamine/questions-to-ask/"
MIN_TARGET = 24

# Each note marker and glossary term: its tap area (the element's box, or for a term the invisible
# box drawn by ::after) and what a tap at each corner of that area actually hits.
TARGETS = """() => {
    const found = [];
    const selector = '.md-content a.footnote-ref, .md-content abbr[title], .md-content abbr[tabindex]';
    for (const e of document.querySelectorAll(selector)) {
        e.scrollIntoView({block: 'center'});
        const r = e.getBoundingClientRect();
        const after = getComputedStyle(e, '::after');
        const drawn = e.tagName === 'ABBR' && after.position === 'absolute';
        const w = drawn ? parseFloat(after.width) : r.width, h = drawn ? parseFloat(after.height) : r.height;
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        const missed = [[-1, -1], [1, -1], [-1, 1], [1, 1]].filter(([dx, dy]) => {
            const hit = document.elementFromPoint(cx + dx * (w / 2 - 1), cy + dy * (h / 2 - 1));
            return !(hit && e.contains(hit));
        }).length;
        found.push({text: e.textContent.trim(), width: Math.round(w * 10) / 10, height: Math.round(h * 10) / 10,
                    missed});
    }
    return found;
}"""


def _page(new_context, device: str, path: str):
    context, _ = new_context(phone=device == "phone")
    page = context.new_page()
    goto(page, path)
    return page


@pytest.mark.parametrize("device", DEVICES)
def test_study_table_shows_every_column_with_its_header(new_context, device, artifacts_dir):
    page = _page(new_context, device, TABLE_PAGE)
    table = page.locator(".md-content table").filter(has_text="Who took part").first
    table.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / f"{device}-study-table.png")
    headers = table.locator("thead th").evaluate_all("ths => ths.map(th => th.textContent.trim())")
    assert headers[:2] == ["Study", "Who took part"] and len(headers) == 5, headers
    width = page.viewport_size["width"]
    cells = table.locator("tbody td").evaluate_all(
        """tds => tds.map(td => {
            const r = td.getBoundingClientRect();
            const label = getComputedStyle(td, '::before').content;
            return {text: td.textContent.trim().slice(0, 30), left: r.left, right: r.right,
                    label: label && label !== 'none' ? td.dataset.label : null, column: td.cellIndex};
        })"""
    )
    assert cells
    cut = [c for c in cells if c["right"] > width + 1 or c["left"] < -1]
    assert not cut, f"{device}: cells outside the {width} px screen (the table is cut off): {cut[:3]}"
    header_row_shown = table.locator("thead").evaluate("t => t.getBoundingClientRect().height > 1")
    if not header_row_shown:  # stacked: each cell must show its header itself
        unlabelled = [c for c in cells if c["label"] != headers[c["column"]]]
        assert not unlabelled, f"{device}: cells shown without their column's header: {unlabelled[:3]}"
    wrap = table.evaluate("t => { const w = t.closest('.md-typeset__scrollwrap') || t; "
                          "return [w.scrollWidth, w.clientWidth]; }")
    assert wrap[0] <= wrap[1] + 1, f"{device}: the table scrolls sideways ({wrap[0]} px in {wrap[1]} px)"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", TARGET_PAGES)
def test_note_markers_and_terms_are_24_px_targets(new_context, device, path):
    page = _page(new_context, device, path)
    targets = page.evaluate(TARGETS)
    assert len(targets) > 10, f"{path}: expected note markers and glossary terms, found {targets}"
    small = [t for t in targets if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET or t["missed"]]
    assert not small, (f"{device} {path}: {len(small)} of {len(targets)} tap targets are under "
                       f"{MIN_TARGET} x {MIN_TARGET} px or covered by another target: {small[:5]}")


@pytest.mark.parametrize("device", DEVICES)
def test_a_term_is_explained_once_a_page(new_context, device):
    page = _page(new_context, device, "/treatment/recommended/")
    assert page.locator(".md-content article abbr", has_text=re.compile(r"^PTSD$")).count() == 1
    assert page.locator(".md-content article abbr", has_text=re.compile(r"^(US|UK|TV)$")).count() == 0


def test_escape_closes_a_tooltip_opened_by_hover_and_by_focus(new_context):
    page = _page(new_context, "desktop", "/treatment/recommended/")
    tooltip = page.locator("#kb-tooltip")
    term = page.locator(".md-content article abbr[title]").first
    term.hover()
    expect(tooltip).to_be_visible()
    size = float(tooltip.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 14, f"tooltip text is {size} px"
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    page.mouse.move(0, 0)
    term.hover()
    expect(tooltip, "the tooltip comes back on the next hover").to_be_visible()
    page.mouse.move(0, 0)
    focused = page.locator(".md-content article abbr[tabindex]").nth(1)
    focused.focus()
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "ABBR", "Escape moved the focus"


@pytest.mark.parametrize("device", DEVICES)
def test_tooltip_is_readable_on_a_phone_and_desktop(new_context, device, artifacts_dir):
    page = _page(new_context, device, "/treatment/recommended/")
    term = page.locator(".md-content article abbr[tabindex]").nth(1)
    term.focus()
    inner = page.locator("#kb-tooltip")
    expect(inner).to_be_visible()
    page.screenshot(path=artifacts_dir / f"{device}-tooltip.png")
    box = inner.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1
    assert float(inner.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 14


@pytest.mark.parametrize("device", DEVICES)
def test_a_note_marker_shows_its_source_beside_it(new_context, device, artifacts_dir):
    page = _page(new_context, device, "/ketamine/safety/")
    marker = page.locator(".md-content a.footnote-ref").first
    note_id = marker.evaluate("a => decodeURIComponent(a.hash.slice(1))")
    source = page.locator(f'[id="{note_id}"] p').first.evaluate(
        "p => { const c = p.cloneNode(true); c.querySelectorAll('.footnote-backref').forEach(a => a.remove()); "
        "return c.textContent.replace(/\\s+/g, ' ').trim(); }")
    marker.scroll_into_view_if_needed()
    if device == "phone":
        marker.focus()  # a tap focuses the marker before its link is followed
    else:
        marker.hover()
    tooltip = page.locator("#kb-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(source)
    assert "\u21a9" not in tooltip.inner_text()
    assert marker.get_attribute("aria-describedby") == "kb-tooltip"
    shown = page.locator("[role=tooltip]:visible, .md-tooltip2:visible, .md-tooltip:visible")
    expect(shown, "one tooltip, not the theme's as well").to_have_count(1)
    page.screenshot(path=artifacts_dir / f"{device}-note-tooltip.png")
    box, mark = tooltip.bounding_box(), marker.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1
    below, above = box["y"] >= mark["y"] + mark["height"], box["y"] + box["height"] <= mark["y"]
    assert below or above, "the tooltip covers its marker"


def test_the_pointer_can_move_onto_a_tooltip_without_it_closing(new_context):
    page = _page(new_context, "desktop", "/treatment/recommended/")
    term = page.locator(".md-content article abbr[title]").first
    term.hover()
    tooltip = page.locator("#kb-tooltip")
    expect(tooltip).to_be_visible()
    box = tooltip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(600)
    expect(tooltip, "WCAG 1.4.13: the tooltip stays while the pointer is over it").to_be_visible()
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()


def test_accessibility_tree_has_plain_heading_and_link_names(new_context):
    page = _page(new_context, "desktop", "/ketamine/safety/")
    tree = page.locator("article.md-content__inner").aria_snapshot()
    headings = re.findall(r'- heading "([^"]*)"', tree)
    links = re.findall(r'- link "([^"]*)"', tree)
    assert len(headings) > 5 and len(links) > 20, tree[:2000]
    assert not [h for h in headings if "¶" in h], f"headings named with ¶: {headings}"
    assert "↩" not in links, f"{links.count('↩')} links are named ↩"
    bare = [name for name in links if re.fullmatch(r"\d+", name)]
    assert not bare, f"links named by a bare number: {bare[:10]}"
    assert any(name.startswith("Reference ") for name in links)
    assert re.search(r'- note "Key points"', tree), "the Key points box is not a named note"


def test_page_actions_leave_the_title_the_full_width_on_a_phone(new_context, artifacts_dir):
    page = _page(new_context, "phone", "/ketamine/questions-to-ask/")
    page.screenshot(path=artifacts_dir / "phone-page-actions.png")
    title = page.locator(".md-content h1").bounding_box()
    article = page.locator("article.md-content__inner").evaluate(
        "a => { const r = a.getBoundingClientRect(), s = getComputedStyle(a); "
        "return {left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight)}; }")
    assert title["width"] >= article["right"] - article["left"] - 2, "the title is squeezed beside the page actions"
    for action in page.locator(".md-content__button:visible").all():
        box = action.bounding_box()
        assert box["y"] + box["height"] <= title["y"] + 1, f"{action.inner_text()!r} sits beside the title"
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, f"{action.inner_text()!r} is {box}"


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_questions_to_ask_prints_as_a_two_page_checklist(new_context, site, artifacts_dir):
    context, _ = new_context()
    page = context.new_page()
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    goto(page, CHECKLIST_PAGE)
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1, "the Print button did not print"
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    (artifacts_dir / "questions-to-ask.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) <= 2, f"the checklist prints on {_pdf_pages(pdf)} A4 pages"
    question = page.locator(".checklist li").first
    box = question.evaluate("li => getComputedStyle(li, '::before').borderTopStyle")
    room = question.evaluate("li => parseFloat(getComputedStyle(li, '::after').height)")
    assert box == "solid", "no tick box before a question"
    assert room >= 10, "no room to write an answer"
    expect(button).to_be_hidden()
    # A link to another page prints its full address.
    link = page.locator(".checklist a", has_text="when treatment does not work")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert site.origin + "/treatment/when-treatment-does-not-work/" in after, after
    markers = page.locator(".md-content a.footnote-ref, .md-content a.headerlink").evaluate_all(
        "els => els.map(a => getComputedStyle(a, '::after').content).filter(c => c.includes('http'))")
    assert not markers, f"note markers or permalinks print an address: {markers[:3]}"


def test_other_pages_print_links_with_their_address_and_offer_no_print_button(new_context):
    page = _page(new_context, "desktop", "/reference/references/")
    expect(page.locator(".kb-print")).to_have_count(0)
    page.emulate_media(media="print")
    web = page.locator('article.md-content__inner a[href^="https://"]:not(.md-content__button)'
                       ':not([href*="doi.org"]):not([href*="pubmed"])').first
    after = web.evaluate("a => getComputedStyle(a, '::after').content")
    assert web.get_attribute("href") in after, after
