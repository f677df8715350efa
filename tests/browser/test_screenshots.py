"""Screenshots of the main pages on desktop and phone, for people reviewing a change (test-artifacts/)."""

from __future__ import annotations

import pytest

from tests.support.browser import goto


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_main_pages(new_context, site, artifacts_dir, device):
    """The home page and the first page of every tab (the main pages), full length."""
    context, _ = new_context(phone=device == "phone")
    page = context.new_page()
    written = []
    for section in site.nav:
        path = section.paths[0]
        goto(page, path)
        target = artifacts_dir / f"{device}-{_slug(path)}.png"
        page.screenshot(path=target, full_page=True, animations="disabled")
        written.append(target)
    small = [target.name for target in written if target.stat().st_size < 5_000]
    assert not small, f"screenshots that look empty: {small}"
