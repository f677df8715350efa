"""Crisis help as a reader in crisis meets it, on a phone (390 x 844, touch) and a desktop (1366 x 900).

- From the top of a page and from the middle of a long one, one tap on the header's "Get help now"
  reaches the "Get help now" page, whose first screen holds a tel: link to a number of data/crisis.yml.
- The control stays visible and tappable (nothing covers it) while the search overlay is open.
- A query about a crisis shows the crisis box above any search result; other queries do not.
- Screenshots of each size, light and dark, go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from tests.support.browser import REPO_ROOT, goto, open_search, search

CRISIS = yaml.safe_load((REPO_ROOT / "data" / "crisis.yml").read_text(encoding="utf-8"))["extra"]["crisis"]
TEL = {"tel:" + re.sub(r"\D", "", s["call"]) for r in CRISIS["regions"] for s in r["services"] if s.get("call")}
SIZES = {"phone": {"phone": True}, "desktop": {"viewport": {"width": 1366, "height": 900}}}
CONTROL = "a.kb-help-now__link"

# Whether nothing covers the centre of the control: what a tap there would hit.
UNCOVERED = """sel => { const el = document.querySelector(sel); const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (hit === el || el.contains(hit)); }"""
IN_HEADER = """sel => { const r = document.querySelector(sel).getBoundingClientRect();
  const h = document.querySelector('.md-header').getBoundingClientRect();
  return r.top >= h.top - 1 && r.bottom <= h.bottom + 1 && r.top >= 0; }"""


def _tap(page, size: str, locator) -> None:
    if size == "phone":
        locator.tap()
    else:
        locator.click()


def _reaches_a_number(page, site) -> None:
    page.wait_for_url(site.url("/get-help/") + "#kb-help-numbers")
    first = page.locator(".kb-help-numbers a[href^='tel:']").first
    expect(first).to_be_in_viewport()
    assert first.get_attribute("href") in TEL


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("where", ["top", "middle"])
def test_one_tap_from_anywhere_reaches_a_crisis_number(new_context, site, size: str, where: str) -> None:
    context, recorder = new_context(**SIZES[size])
    page = context.new_page()
    goto(page, "/" if where == "top" else "/ketamine/safety/")
    if where == "middle":
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
        page.wait_for_function("window.scrollY > 1000")
    control = page.locator(CONTROL)
    expect(control).to_be_in_viewport()
    assert page.evaluate(IN_HEADER, CONTROL), "the control is not in the header"
    assert page.evaluate(UNCOVERED, CONTROL), "something covers the control"
    _tap(page, size, control)
    _reaches_a_number(page, site)
    assert not recorder.console_errors, recorder.console_errors


@pytest.mark.parametrize("size", SIZES)
def test_the_control_stays_tappable_while_search_is_open(new_context, site, size: str) -> None:
    context, _ = new_context(**SIZES[size])
    page = context.new_page()
    goto(page, "/ketamine/safety/")
    open_search(page)
    search(page, "ketamine bladder")
    control = page.locator(CONTROL)
    expect(control).to_be_in_viewport()
    assert page.evaluate(UNCOVERED, CONTROL), "the open search covers the control"
    _tap(page, size, control)
    _reaches_a_number(page, site)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", ["suicidal thoughts help", "i want to kill myself", "999"])
def test_a_crisis_query_shows_crisis_help_before_any_result(new_context, site, size: str, query: str) -> None:
    context, _ = new_context(**SIZES[size])
    page = context.new_page()
    goto(page, "/ketamine/safety/")
    open_search(page)
    search(page, query)
    box = page.locator("#kb-search-crisis")
    expect(box).to_be_visible()
    expect(box).to_be_in_viewport()
    number = box.locator("a[href='tel:988']").first
    expect(number).to_be_visible()
    top = box.bounding_box()["y"]
    results = page.locator(".md-search-result__meta, .md-search-result__item")
    for i in range(results.count()):
        other = results.nth(i).bounding_box()
        if other:
            assert top < other["y"], f"{query!r}: a result shows above the crisis help"


@pytest.mark.parametrize("query", ["ketamine bladder", "what is ptsd"])
def test_other_queries_show_no_crisis_box(new_context, site, query: str) -> None:
    context, _ = new_context()
    page = context.new_page()
    goto(page, "/")
    open_search(page)
    search(page, query)
    expect(page.locator("#kb-search-crisis")).to_be_hidden()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots_of_crisis_help(new_context, site, artifacts_dir, size: str, dark: bool) -> None:
    context, _ = new_context(dark=dark, **SIZES[size])
    page = context.new_page()
    name = f"crisis-{size}-{'dark' if dark else 'light'}"
    goto(page, "/get-help/")
    page.screenshot(path=str(artifacts_dir / f"{name}-get-help.png"))
    goto(page, "/ketamine/safety/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    page.screenshot(path=str(artifacts_dir / f"{name}-middle.png"))
    open_search(page)
    search(page, "i want to kill myself")
    page.screenshot(path=str(artifacts_dir / f"{name}-search.png"))
    expect(page.locator(CONTROL)).to_be_in_viewport()
