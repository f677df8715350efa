"""Plain helpers for the browser suite: where the site is, what it holds, and how a reader drives it."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kb.core.site import parse_config

REPO_ROOT = Path(__file__).resolve().parents[2]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Section:
    """A top-level navigation entry (a tab): its title and its pages' URL paths in nav order."""

    title: str
    paths: tuple[str, ...]
    is_group: bool  # True for a section with pages under it, False for a single top-level page


@dataclass(frozen=True)
class Site:
    origin: str  # e.g. http://127.0.0.1:43127 (no trailing slash)
    root: Path  # the built site folder
    paths: tuple[str, ...]  # every page's URL path from sitemap.xml, e.g. "/ketamine/safety/"
    nav: tuple[Section, ...]  # mkdocs.yml nav, top level

    @property
    def all_pages(self) -> tuple[str, ...]:
        """Every page a reader can land on: the sitemap's pages and the "not found" page."""
        extra = ("/404.html",) if (self.root / "404.html").is_file() else ()
        return self.paths + extra

    def url(self, path: str) -> str:
        return self.origin + path

    @property
    def nav_order(self) -> list[str]:
        return [path for section in self.nav for path in section.paths]

    def section_of(self, path: str) -> Section | None:
        return next((section for section in self.nav if path in section.paths), None)


def read_sitemap(root: Path, origin: str) -> tuple[str, ...]:
    """URL paths of every page the build wrote, from its sitemap.xml (new pages are covered automatically)."""
    tree = ET.parse(root / "sitemap.xml")
    paths = []
    for loc in tree.iter(f"{SITEMAP_NS}loc"):
        url = (loc.text or "").strip()
        if not url.startswith(origin + "/"):
            raise AssertionError(f"sitemap.xml lists {url!r}, outside the served origin {origin}")
        paths.append(urlsplit(url).path)
    if not paths:
        raise AssertionError("sitemap.xml lists no pages")
    return tuple(paths)


def md_to_path(src: str) -> str:
    """docs-relative Markdown file to its URL path (use_directory_urls): ptsd/index.md -> /ptsd/."""
    stem = src[: -len(".md")]
    if stem == "index":
        return "/"
    if stem.endswith("/index"):
        return "/" + stem[: -len("index")]
    return f"/{stem}/"


def _flatten(entries) -> list[str]:
    paths: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            paths.extend(_flatten(value))
        elif isinstance(value, str) and value.endswith(".md"):
            paths.append(md_to_path(value))
    return paths


def nav_trail(path: str, config_file: Path = REPO_ROOT / "mkdocs.yml") -> list[tuple[str, str]]:
    """The sections holding a page, outermost first, each as (title, its first page's URL path): what
    Material's breadcrumbs show after Home (About > Contributing for /contributing/checks/)."""
    config = parse_config(config_file.read_text(encoding="utf-8"))

    def walk(entries, trail):
        for entry in entries:
            title, value = next(iter(entry.items())) if isinstance(entry, dict) else (entry, entry)
            if isinstance(value, list):
                paths = _flatten(value)
                if path in paths:
                    return walk(value, trail + [(str(title), paths[0])])
            elif isinstance(value, str) and value.endswith(".md") and md_to_path(value) == path:
                return trail
        return trail

    return walk(config.get("nav") or [], [])


def read_nav(config_file: Path = REPO_ROOT / "mkdocs.yml") -> tuple[Section, ...]:
    config = parse_config(config_file.read_text(encoding="utf-8"))
    sections = []
    for entry in config.get("nav") or []:
        if isinstance(entry, dict):
            title, value = next(iter(entry.items()))
        else:
            title, value = entry, entry
        is_group = isinstance(value, list)
        paths = _flatten(value) if is_group else _flatten([value])
        sections.append(Section(title=str(title), paths=tuple(paths), is_group=is_group))
    return tuple(sections)


@dataclass
class Recorder:
    """Everything a browser context did: every request, failed responses, console errors, page errors."""

    origin: str
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (page URL, resource type, URL)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        context.route("**/*", self._route)
        context.on("response", self._response)
        context.on("requestfailed", self._request_failed)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.console_errors.append(f"uncaught: {error.error}"))

    def _route(self, route, request) -> None:
        frame_url = ""
        try:
            frame_url = request.frame.url
        except Exception:  # requests from workers have no frame  # noqa: BLE001
            frame_url = "(worker)"
        self.requests.append((frame_url, request.resource_type, request.url))
        route.continue_()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"HTTP {response.status} {response.url}")

    def _request_failed(self, request) -> None:
        # ERR_ABORTED: the browser cancelled it because the reader (the test) moved to another page.
        if request.failure != "net::ERR_ABORTED":
            self.failures.append(f"failed ({request.failure}) {request.url}")

    def _console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} [{location.get('url', '')}]")

    def foreign_requests(self) -> list[str]:
        local = urlsplit(self.origin)
        foreign = []
        for page_url, _, url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.scheme, parts.netloc) != (local.scheme, local.netloc):
                foreign.append(f"{url}  (from {page_url or 'unknown'})")
        return foreign


def new_recorded_context(browser, site: Site, *, phone: bool = False, dark: bool = False, **options):
    """A fresh browser context (desktop 1280 x 900, phone 390 x 844, or ``viewport=``) whose activity is recorded.

    The site's Content-Security-Policy forbids evaluating strings as script, which Playwright's
    waiting helpers do, so contexts bypass it unless ``bypass_csp=False`` (tests/browser/test_csp.py)."""
    options.setdefault("bypass_csp", True)
    viewport = options.pop("viewport", PHONE if phone else DESKTOP)
    context = browser.new_context(
        base_url=site.origin,
        viewport=viewport,
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        color_scheme="dark" if dark else "light",
        reduced_motion="reduce",
        **options,
    )
    context.set_default_timeout(10_000)
    recorder = Recorder(site.origin)
    recorder.attach(context)
    return context, recorder


# --- Driving the page like a reader ---------------------------------------------------------------


def goto(page, path: str) -> None:
    """Full page load of a site path; waits until the load event and Material's first render."""
    page.goto(path, wait_until="load")
    page.wait_for_selector(".md-content h1", state="attached")


def h1(page) -> str:
    return page.locator(".md-content h1").first.inner_text().strip()


def open_search(page) -> None:
    """Open the search overlay the way a reader does: the header input, or the icon on a phone."""
    toggle = page.locator('label.md-header__button[for="__search"]')
    if toggle.is_visible():  # a phone: the search box hides behind the header icon
        toggle.click()
    page.locator("input.md-search__input").click()
    page.wait_for_function("document.getElementById('__search').checked")


_SEARCH_STATE = """() => {
    const meta = document.querySelector('.md-search-result__meta');
    const links = [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
        .map(item => item.querySelector(':scope > a.md-search-result__link')).filter(Boolean);
    return [document.querySelector('input.md-search__input').value, meta ? meta.textContent.trim() : '',
            links.map(a => a.href), window.__kbRenders || 0];
}"""
_COUNT_RENDERS = """() => {
    window.__kbRenders = 0;
    if (!window.__kbRenderObserver) {
        window.__kbRenderObserver = new MutationObserver(() => { window.__kbRenders += 1; });
        window.__kbRenderObserver.observe(document.querySelector('.md-search-result'),
                                          {childList: true, subtree: true, characterData: true});
    }
}"""


_CLEARED = """() => {
    const meta = document.querySelector('.md-search-result__meta');
    return !document.querySelector('input.md-search__input').value
        && !(meta && meta.textContent.toLowerCase().includes('matching'));
}"""


def _settle(page, query: str, deadline: float, rendered: bool) -> tuple[str, list[str]]:
    """Wait until the results answer `query` (after a fresh render if `rendered`) and stay unchanged."""
    last, since = None, time.monotonic()
    while True:
        state = page.evaluate(_SEARCH_STATE)
        value, meta, hrefs, renders = state
        answered = value == query and "matching" in meta.lower() and (renders > 0 or not rendered)
        if state != last:
            last, since = state, time.monotonic()
        elif answered and time.monotonic() - since >= 0.3:
            return meta, [urlsplit(href).path for href in hrefs]
        if time.monotonic() > deadline:
            raise AssertionError(f"search for {query!r} gave no final answer; last state: {meta!r} {hrefs[:3]}")
        time.sleep(0.05)


def search(page, query: str, timeout: float = 15.0, every_key: bool = True) -> tuple[str, list[str]]:
    """Type a query into Material's search with real key presses; return (meta text, result paths).

    The worker answers every keystroke in turn. To be sure the list shown answers the whole query, type
    all but the last character and let that answer settle, then type the last one and wait for the
    render it causes to settle.

    ``every_key=False`` is for tests of what a query finds, not of typing: Material searches on keyup,
    so all but the last character go in at once (an input event, no search) and the last is a real key
    press. Material then searches once, for the whole query, as for a reader's last key.
    """
    deadline = time.monotonic() + timeout
    box = page.locator("input.md-search__input")
    box.press("Control+a")
    box.press("Backspace")
    if len(query) > 1 and every_key:
        box.press_sequentially(query[:-1])
        _settle(page, query[:-1], deadline, rendered=False)
    elif len(query) > 1:
        page.wait_for_function(_CLEARED)
        box.fill(query[:-1])
    page.evaluate(_COUNT_RENDERS)
    box.press_sequentially(query[-1])
    return _settle(page, query, deadline, rendered=True)


def close_search(page) -> None:
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('__search').checked")


# --- axe-core --------------------------------------------------------------------------------------


def run_axe(page, axe_source: str) -> list[dict]:
    """Inject the pinned axe-core and run the WCAG 2.0/2.1/2.2 A and AA rules; return violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    return result


def format_violations(found: dict[str, list[dict]], max_pages: int = 6) -> str:
    """Violations of many pages ({page label: violations}), grouped by rule and element, readably."""
    groups: dict[tuple[str, str], dict] = {}
    for label, violations in found.items():
        for violation in violations:
            for node in violation["nodes"]:
                key = (violation["id"], node["target"])
                group = groups.setdefault(key, {"violation": violation, "node": node, "pages": []})
                group["pages"].append(label)
    lines = []
    for (rule, target), group in sorted(groups.items(), key=lambda item: (-len(item[1]["pages"]), item[0])):
        violation, node, pages = group["violation"], group["node"], group["pages"]
        summary = " ".join((node["summary"] or "").split())
        shown = ", ".join(pages[:max_pages]) + (f" and {len(pages) - max_pages} more" if len(pages) > max_pages else "")
        lines.append(
            f"[{violation['impact']}] {rule}: {violation['help']}\n"
            f"    element: {target}\n    html:    {node['html']}\n    why:     {summary[:400]}\n"
            f"    pages ({len(pages)}): {shown}\n    rule:    {violation['helpUrl']}"
        )
    return "\n".join(lines)
