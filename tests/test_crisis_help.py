"""Crisis help in the built HTML, checked against data/crisis.yml, the one source of the numbers.

- Every number the banner, the footer, the 404 page, the search dialog's crisis box and the "Get help
  now" page show is a tel: or sms: link to a number of the data file, whose visible digits are the
  digits it dials (an sms: link with a keyword sends that keyword).
- The footer, the 404 page, the search dialog and the "Get help now" page show every number of the data
  file; the banner shows the ones it names as `short`, with a link to the "Get help now" page.
- Every page has the "Get help now" control before Material's header, linking to the page.
- The "Get help now" page is first in the navigation after Home, and its first section is danger now.
- The templates read the data file: a changed number in it changes every place it is shown.
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
from urllib.parse import urljoin

import pytest

from tests.support.built_html import parse
from tests.support.crisis_links import SERVICES, crisis_links, digits, expected_links
from tests.support.helpers import ROOT, doc_sources, nav_sources, output_path


def page(built_site: pathlib.Path, src: str):
    file = built_site / ("404.html" if src == "404" else output_path(src))
    return parse(file.read_text(encoding="utf-8"))


PLACES = [*doc_sources(), "404"]


@pytest.mark.parametrize("src", PLACES)
def test_banner_numbers_come_from_the_data_file(built_site: pathlib.Path, src: str) -> None:
    doc = page(built_site, src)
    aside = doc.find("aside", aria_label="Crisis help")
    assert aside is not None, f"{src}: no crisis help landmark"
    links = crisis_links(aside)
    assert set(links) <= expected_links(), f"{src}: the banner dials numbers not in data/crisis.yml"
    assert expected_links([s for s in SERVICES if s.get("short")]) <= set(links), f"{src}: {sorted(links)}"
    hrefs = [a.attrs["href"] for a in aside.find_all("a")]
    assert any(urljoin("https://x.org/" + output_path(src), href) == "https://x.org/get-help/" for href in hrefs)


@pytest.mark.parametrize("src", PLACES)
def test_footer_and_search_dialog_show_every_number(built_site: pathlib.Path, src: str) -> None:
    doc = page(built_site, src)
    footer = doc.find("nav", cls="kb-footer-crisis")
    assert footer is not None and footer.find_all(cls="kb-footer-crisis") == [footer]
    assert set(crisis_links(footer)) == expected_links(), f"{src}: footer"
    box = doc.find("section", id="kb-search-crisis")
    assert box is not None and "hidden" in box.attrs, f"{src}: the search dialog has no hidden crisis box"
    assert any(a.classes == {"md-search"} or "md-search" in a.classes for a in box.ancestors())
    assert set(crisis_links(box)) == expected_links(), f"{src}: search dialog"


@pytest.mark.parametrize("src", PLACES)
def test_every_page_has_the_get_help_control_before_the_header(built_site: pathlib.Path, src: str) -> None:
    html = (built_site / ("404.html" if src == "404" else output_path(src))).read_text(encoding="utf-8")
    doc = parse(html)
    controls = doc.find_all("a", cls="kb-help-now__link")
    assert len(controls) == 1, f"{src}: expected one Get help now control"
    assert urljoin("https://x.org/" + output_path(src), controls[0].attrs["href"]) == "https://x.org/get-help/#kb-help-numbers"
    assert "Get help now" in controls[0].text()
    assert html.index("kb-help-now__link") < html.index('<header class="md-header'), src


def test_404_page_lists_every_number(built_site: pathlib.Path) -> None:
    box = page(built_site, "404").find("section", cls="kb-crisis-box")
    assert box is not None
    assert set(crisis_links(box)) == expected_links()


def test_get_help_page_lists_every_number_danger_first(built_site: pathlib.Path) -> None:
    assert nav_sources()[:2] == ["index.md", "get-help.md"]
    doc = page(built_site, "get-help.md")
    numbers = doc.find("div", id="kb-help-numbers")
    assert numbers is not None
    assert set(crisis_links(numbers)) == expected_links()
    sections = numbers.find_all("section")
    assert sections[0].attrs["aria-labelledby"] == "danger-now"
    emergency = {s["call"] for s in SERVICES if s["kind"] == "emergency"}
    assert {digits(a.attrs["href"]) for a in sections[0].find_all("a")} == {digits(n) for n in emergency}
    # The page's own text follows: signs to watch for, what to say, when to call emergency services.
    text = doc.find("article").text() if doc.find("article") else doc.text()
    for heading in ("Warning signs", "What to say", "When to call emergency services"):
        assert heading in text
    assert len(doc.find_all("h1")) == 1


def test_a_number_changed_in_the_data_file_changes_everywhere(tmp_path: pathlib.Path) -> None:
    """The templates read data/crisis.yml: Samaritans moved to another number shows it in every place."""
    for name in ("docs", "data", "includes", "overrides", "schema", "hooks", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    data = tmp_path / "data" / "crisis.yml"
    data.write_text(data.read_text(encoding="utf-8").replace('call: "116 123"', 'call: "116 124"'), encoding="utf-8")
    # Only the templates are under test: drop the check hook, which would (rightly) question the number.
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/checks.py\n", ""), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                            cwd=tmp_path, capture_output=True, text=True,
                            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "get-help" / "index.html").read_text(encoding="utf-8")
    assert 'href="tel:116124">116 124</a>' in html and "tel:116123" not in html
    home = parse((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    for place in (home.find("aside", aria_label="Crisis help"), home.find("nav", cls="kb-footer-crisis"),
                  home.find("section", id="kb-search-crisis")):
        assert "tel:116124" in crisis_links(place) and "tel:116123" not in crisis_links(place)


def test_mkdocs_yml_does_not_define_the_numbers_itself() -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.startswith("INHERIT: data/crisis.yml\n")
    assert "crisis:" not in text
