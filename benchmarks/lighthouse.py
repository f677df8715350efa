#!/usr/bin/env python3
"""Lighthouse scores of the built site: every page (or the main pages), mobile preset, median of N runs.

Per page it prints the median of the runs for performance, total blocking time (ms), accessibility,
best practices and SEO.

A benchmark, not a test: it prints figures and never fails on a score. It builds the site with
``mkdocs build --strict`` for a free local port (SITE_URL set to that origin), serves it with a threaded
http.server on 127.0.0.1 (text files gzip-compressed, as a real host serves them), and runs the pinned
``node_modules/.bin/lighthouse`` (``npm ci``) against each page with Debian's Chromium (``CHROME_PATH``,
default /usr/bin/chromium; paint holding off, see CHROME_FLAGS). Runs are interleaved (run 1 of every
page, then run 2, ...) so a busy machine affects every page alike.

    .venv/bin/python benchmarks/lighthouse.py            # every page in sitemap.xml, 3 runs each
    .venv/bin/python benchmarks/lighthouse.py --main     # home and the first page of each tab
    .venv/bin/python benchmarks/lighthouse.py --runs 1 --path /ketamine/safety/
    .venv/bin/python benchmarks/lighthouse.py --no-gzip   # as http.server serves: nothing compressed

JSON reports go to benchmarks/out/lighthouse/ (git-ignored). Exit status: 0 done, 1 a run failed, 2 usage
or set-up error (no Chromium, no node_modules, the build failed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support import chromium  # noqa: E402
from tests.support.static_server import StaticSite  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "benchmarks" / "out" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {"tbt": "total-blocking-time"}
"""Audits printed next to the scores, as their numeric value (milliseconds)."""
COLUMNS = ["performance", "tbt", "accessibility", "best-practices", "seo"]
HEADERS = ["Performance", "TBT ms", "Accessibility", "Best practices", "SEO"]
CHROME_FLAGS = " ".join([*chromium.FLAGS, "--disable-features=PaintHolding"])
"""The tests' Chromium flags, and paint holding off. Chromium holds the first frame of a navigation for
a moment; in headless Chromium here that made the observed first paint about 1 s late in two runs of
three (at random, on any page), and Lighthouse's simulation then counted every script that ran in that
second towards the largest paint (simulated LCP about 3 s instead of 1.5 s). A reader opening a page
from a search result or a link does not wait for it."""


def fail(message: str, status: int = 2) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(status)


def build(site_dir: Path, origin: str) -> None:
    env = {**os.environ, "SITE_URL": f"{origin}/", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        fail(f"mkdocs build --strict failed:\n{result.stderr}{result.stdout}")


def sitemap_paths(site_dir: Path) -> list[str]:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return [urlsplit((loc.text or "").strip()).path for loc in ET.parse(site_dir / "sitemap.xml").iter(f"{ns}loc")]


def main_paths(site_dir: Path, origin: str) -> list[str]:
    """The home page and the first page of every tab, read from the built home page's tabs."""
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]*)" class="md-tabs__link', home)
    paths = ["/"] + [urlsplit(urljoin(origin + "/", href)).path for href in hrefs]
    return list(dict.fromkeys(paths))


def run_lighthouse(url: str, report: Path, chrome: str) -> dict[str, int]:
    env = {**os.environ, "CHROME_PATH": chrome}
    command = [
        str(LIGHTHOUSE), url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    categories = data["categories"]
    scores = {}
    for name in CATEGORIES:
        score = categories[name]["score"]
        if score is None:
            raise RuntimeError(f"lighthouse gave no {name} score for {url} (see {report})")
        scores[name] = round(score * 100)
    for name, audit in METRICS.items():
        value = data["audits"].get(audit, {}).get("numericValue")
        if value is None:
            raise RuntimeError(f"lighthouse gave no {audit} for {url} (see {report})")
        scores[name] = round(value)
    return scores


def median(values: list[int]) -> float:
    return statistics.median(values)


def fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--no-gzip", action="store_true", help="serve files uncompressed (http.server's default)")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--main", action="store_true", help="only the home page and the first page of each tab")
    scope.add_argument("--path", action="append", default=[], help="a site path such as /ketamine/safety/ (repeatable)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    chrome = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not shutil.which(chrome):
        fail(f"no Chromium at {chrome}: sudo apt-get install chromium (or set CHROME_PATH)")
    if not LIGHTHOUSE.exists():
        fail("node_modules/.bin/lighthouse is missing: run `npm ci` at the repository root")
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    chrome_version = subprocess.run([chrome, "--version"], capture_output=True, text=True, check=False).stdout.strip()

    with tempfile.TemporaryDirectory(prefix="kb-lighthouse-") as tmp:
        site_dir = Path(tmp) / "site"
        site_dir.mkdir()
        server = StaticSite(site_dir, compress=not args.no_gzip)
        origin = server.origin
        build(site_dir, origin)
        if args.path:
            paths = args.path
            unknown = [path for path in paths if path not in sitemap_paths(site_dir)]
            if unknown:
                fail(f"not pages of the site: {', '.join(unknown)}")
        elif args.main:
            paths = main_paths(site_dir, origin)
        else:
            paths = sitemap_paths(site_dir)
        server.start()
        OUT.mkdir(parents=True, exist_ok=True)
        print(
            f"Lighthouse {version}, {chrome_version}, mobile preset (default), "
            f"{'uncompressed' if args.no_gzip else 'gzip'} local server, {len(paths)} page(s) x {args.runs} "
            f"run(s), {os.cpu_count()} CPU(s), {platform.platform()}, load average "
            f"{os.getloadavg()[0]:.1f} at start",
            flush=True,
        )
        scores: dict[str, list[dict[str, int]]] = {path: [] for path in paths}
        started = time.monotonic()
        failed = 0
        try:
            for run in range(1, args.runs + 1):
                for path in paths:
                    slug = path.strip("/").replace("/", "-") or "home"
                    try:
                        result = run_lighthouse(origin + path, OUT / f"{slug}.run{run}.json", chrome)
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        failed += 1
                        print(f"  run {run} {path}: {error}", file=sys.stderr, flush=True)
                        continue
                    scores[path].append(result)
                    print(f"  run {run} {path}: " + " ".join(f"{k}={result[k]}" for k in COLUMNS), flush=True)
        finally:
            server.stop()

    elapsed = time.monotonic() - started
    print(f"\n{sum(len(v) for v in scores.values())} runs in {elapsed:.0f} s, load average {os.getloadavg()[0]:.1f} "
          f"at end\n")
    print("| Page | " + " | ".join(HEADERS) + " |")
    print("|---|" + "---:|" * len(HEADERS))
    page_medians: dict[str, dict[str, float]] = {}
    for path in paths:
        runs = scores[path]
        if not runs:
            print(f"| `{path}` | " + " | ".join("failed" for _ in HEADERS) + " |")
            continue
        page_medians[path] = {name: median([run[name] for run in runs]) for name in COLUMNS}
        print(f"| `{path}` | " + " | ".join(fmt(page_medians[path][name]) for name in COLUMNS) + " |")
    if page_medians:
        overall = {name: median([m[name] for m in page_medians.values()]) for name in COLUMNS}
        # The worst page: the lowest score, the longest blocking time.
        worst = {name: (max if name in METRICS else min)(m[name] for m in page_medians.values()) for name in COLUMNS}
        print("| **Median of pages** | " + " | ".join(f"**{fmt(overall[name])}**" for name in COLUMNS) + " |")
        print("| Worst page | " + " | ".join(fmt(worst[name]) for name in COLUMNS) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
