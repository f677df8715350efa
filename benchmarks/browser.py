"""Chromium measurements of a built site: search start-up, search worker memory, page weight.

    python benchmarks/browser.py SITE_DIR [N]

The site is served by a small static server that gzips text responses (as any production web
server would), on the port the site was built for (benchmarks build with SITE_URL pointing at it,
because instant navigation only works at the site_url origin). Measured with Playwright's sync API
driving /usr/bin/chromium (no downloaded browser):
- index_fetched_s: when search_index.json finished arriving (what remains is the worker's set-up);
- first_answer_s: from navigation start of a page to the first search result in the list, the query
  entered as soon as the search box exists (the reader who opens a page and searches at once);
- worker_heap_mib: JS heap used by the search worker once it answered (CDP Runtime.getHeapUsage);
- first_kb / second_kb: bytes on the wire (gzip, headers included) for a first page load and for a
  second page reached by instant navigation; first_with_search_kb adds what search fetches
  (search_index.json, and the prebuilt lunr index when the site ships one).
"""
from __future__ import annotations

import gzip
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kb import chromium  # noqa: E402
from kb.static_server import StaticSite  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = chromium.FLAGS
PORT = int(os.environ.get("BENCH_PORT", "8931"))
SITE_URL = f"http://127.0.0.1:{PORT}/"
QUERY = "ketamine"
SEARCH_FILES = ("search/search_index.json", "search/search_lunr.json")


def serve(site: Path) -> StaticSite:
    """The site at SITE_URL (it is built for that origin), text gzipped as a real host sends it.

    The search files are requested once first: a host compresses a file once and keeps the result,
    while this server compresses on first request (0.1-0.3 s for a 7 MB index), which would
    otherwise land in the first measured load."""
    site_server = StaticSite(site, port=PORT, compress=True).start()
    for name in SEARCH_FILES:
        if (site / name).exists():
            request = urllib.request.Request(SITE_URL + name, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request) as response:
                response.read()
    return site_server


def _first_answer(browser, url: str, cpu_slowdown: float = 1) -> tuple[float, float | None, float]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    if cpu_slowdown > 1:  # DevTools CPU throttling: slows the page's main thread (not, it seems, workers)
        ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    workers = []
    page.on("worker", lambda w: workers.append(w))
    # The moment the first result is in the list, taken in the page (no round trip to Playwright).
    page.add_init_script("""new MutationObserver((_, observer) => {
        if (document.querySelector(".md-search-result__item")) {
            window.kbFirstResult = performance.now(); observer.disconnect(); }
    }).observe(document, {childList: true, subtree: true});""")
    # Enter the query once Material's script has run (it is at the end of the body): the whole query
    # at once, then a key up, which is what Material listens to (as when a reader pastes a query).
    # Typed key by key through the DevTools protocol, "ketamine" takes 0.3-0.5 s on a loaded machine.
    page.goto(url, wait_until="domcontentloaded")
    box = page.locator("input.md-search__input")
    box.focus()
    box.fill(QUERY)
    box.press("End")
    page.wait_for_function("window.kbFirstResult !== undefined", timeout=120_000, polling=100)
    answered = page.evaluate("window.kbFirstResult") / 1000
    fetched = page.evaluate("""(performance.getEntriesByType('resource').find(e => e.name.endsWith('search_index.json'))
                              || {responseEnd: 0}).responseEnd""") / 1000
    heap = None
    try:
        cdp = ctx.new_cdp_session(page)
        cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})
        # Non-flat attach sends worker messages through Target.sendMessageToTarget.
        got: dict = {}
        cdp.on("Target.receivedMessageFromTarget",
               lambda e: got.setdefault("msg", json.loads(e["message"])) if '"id":1' in e["message"] else None)
        targets = cdp.send("Target.getTargets")["targetInfos"]
        for t in targets:
            if t["type"] in ("worker", "dedicated_worker") or "search" in t.get("url", "") and t["type"] != "page":
                sess = cdp.send("Target.attachToTarget", {"targetId": t["targetId"], "flatten": False})["sessionId"]
                cdp.send("Target.sendMessageToTarget", {"sessionId": sess, "message": json.dumps(
                    {"id": 1, "method": "Runtime.getHeapUsage"})})
                deadline = time.time() + 10
                while "msg" not in got and time.time() < deadline:
                    page.wait_for_timeout(50)
                if "msg" in got:
                    heap = got["msg"]["result"]["usedSize"] / 2**20
                break
    except Exception as e:  # memory is best effort; timing stands without it
        print(f"browser.py: worker heap not measured: {e}", file=sys.stderr)
    ctx.close()
    return answered, heap, fetched


def _weights(browser, first: str, second: str) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: list[tuple[str, int]] = []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.append((urls.get(e["requestId"], ""), e["encodedDataLength"])))
    page.goto(first, wait_until="networkidle")
    page.wait_for_timeout(1000)
    first_rows = list(sizes)
    sizes.clear()
    page.locator(f'a[href="{SITE_URL + second}"]').first.click()  # instant navigation rewrote hrefs
    page.wait_for_url(SITE_URL + second, timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    second_rows = list(sizes)
    ctx.close()
    is_search = lambda u: any(u.endswith(s) for s in SEARCH_FILES)  # noqa: E731
    return {
        "first_kb": sum(b for u, b in first_rows if not is_search(u)) / 1024,
        "first_with_search_kb": sum(b for _, b in first_rows) / 1024,
        "search_kb": sum(b for u, b in first_rows if is_search(u)) / 1024,
        "first_requests": len(first_rows),
        "second_kb": sum(b for _, b in second_rows) / 1024,
        "second_requests": len(second_rows),
        "first_largest": sorted(((b, u.replace(SITE_URL, "")) for u, b in first_rows), reverse=True)[:5],
    }


def measure(site: Path, n: int, repeats: int = 3, first: str = "s001/p001/", second: str = "s001/p002/",
            cpu_slowdown: float = 1) -> list[dict]:
    """Search start-up (repeats runs, median) on page `first`; weights of `first`, then `second` via a link."""
    from playwright.sync_api import sync_playwright

    httpd = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page_url = SITE_URL + first
            runs = [_first_answer(browser, page_url, cpu_slowdown) for _ in range(repeats)]
            heaps = [h for _, h, _ in runs if h is not None]
            res = {"n": n, "cpu_slowdown": cpu_slowdown, "first_answer_s": statistics.median(t for t, _, _ in runs),
                   "first_answer_all": [t for t, _, _ in runs],
                   "index_fetched_s": statistics.median(f for _, _, f in runs),
                   "load_avg": os.getloadavg()[0],
                   "worker_heap_mib": statistics.median(heaps) if heaps else None}
            res.update(_weights(browser, page_url, second))
            browser.close()
    finally:
        httpd.stop()
    # The worker's own fetch (the prebuilt index) is not in the page's network log: count it from disk.
    lunr = site / "search/search_lunr.json"
    if lunr.exists():
        extra = len(gzip.compress(lunr.read_bytes(), compresslevel=6)) / 1024
        res["search_kb"] += extra
        res["first_with_search_kb"] += extra
    return [res]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Chromium figures for a built site (built for SITE_URL "
                                     f"{SITE_URL}, e.g. SITE_URL={SITE_URL} mkdocs build -d SITE_DIR).")
    parser.add_argument("site", type=Path)
    parser.add_argument("n", type=int, nargs="?", default=0, help="page count, for the record")
    parser.add_argument("--first", default="s001/p001/", help="path of the first page (e.g. '' for home)")
    parser.add_argument("--second", default="s001/p002/", help="path of a page linked from the first")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cpu-slowdown", type=float, default=1,
                        help="DevTools CPU throttling of the page, as Lighthouse's mobile setting (4); workers unthrottled")
    a = parser.parse_args()
    for row in measure(a.site, a.n, a.repeats, a.first, a.second, a.cpu_slowdown):
        print(json.dumps(row))
