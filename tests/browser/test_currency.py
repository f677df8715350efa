"""How current a page is, where a reader looks first: the review line under the title on a phone."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.browser import PHONE, goto

PAGE = "/ketamine/what-is-ketamine/"


def test_review_line_is_above_the_fold_on_a_phone_and_what_changed_jumps_to_the_list(
        new_context, site, artifacts_dir):
    context, recorder = new_context(phone=True)
    page = context.new_page()
    goto(page, PAGE)
    line = page.locator(".md-content .kb-review")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Last reviewed")
    expect(line).to_contain_text("Next review due 31 December 2026:")
    expect(line).to_contain_text("90 FR 61301")
    title, box = page.locator(".md-content h1").bounding_box(), line.bounding_box()
    assert title["y"] + title["height"] <= box["y"], "the review line is not under the title"
    assert box["y"] + box["height"] <= PHONE["height"], \
        f"the review line ends {box['y'] + box['height']:.0f} px down, below the {PHONE['height']} px screen"
    page.screenshot(path=artifacts_dir / "phone-review-line.png", animations="disabled")

    link = line.get_by_role("link", name="What changed")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).fragment == "kb-what-changed")
    heading = page.locator("#kb-what-changed")
    expect(heading).to_have_text("What changed")
    expect(heading).to_be_in_viewport()
    expect(page.locator(".kb-changes li").first).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > PHONE["height"], "the page did not scroll to the list"
    assert not recorder.console_errors, recorder.console_errors
