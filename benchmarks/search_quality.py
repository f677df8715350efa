"""Search quality as a reader on a phone gets it: top 1, top 3 and "within two phone screens".

Builds the site (the working tree, or another revision with --rev), serves it, and types every query of
tests/support/search_queries.py (READER_QUERIES, and QUERIES of tests/browser/test_search.py) into
Material's search in Chromium at 390 x 844. Prints one line a query and the hit rates. A figure, never a
failure: the tests assert the targets.

    .venv/bin/python benchmarks/search_quality.py            # the working tree
    .venv/bin/python benchmarks/search_quality.py --rev HEAD~3
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import chromium  # noqa: E402
from tests.support.browser import PHONE, goto, open_search  # noqa: E402
from tests.support.search_queries import QUERIES, READER_QUERIES, measure, within_two_screens  # noqa: E402
from tests.support.static_server import StaticSite  # noqa: E402


def build(source: Path, out: Path, origin: str) -> None:
    env = {**os.environ, "SITE_URL": origin + "/", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(out)], cwd=source, env=env,
                   check=True)


def run(queries, page) -> list[dict]:
    results = []
    for query, expected in queries:
        result = measure(page, query, expected)
        results.append(result)
        where = f"#{result['rank']} at {result['offset']} px" if result["rank"] else "absent"
        print(f"  {'ok ' if within_two_screens(result) else 'MISS'} {query!r:45} {expected:42} {where}; "
              f"first {result['paths'][:1]}", flush=True)
    return results


def rates(results: list[dict]) -> str:
    n = len(results)
    top1 = sum(r["rank"] == 1 for r in results)
    top3 = sum(0 < r["rank"] <= 3 for r in results)
    two = sum(within_two_screens(r) for r in results)
    none = sum(not r["paths"] for r in results)
    return f"top 1 {top1}/{n}, top 3 {top3}/{n}, top 3 within two phone screens {two}/{n}, no result {none}/{n}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", help="measure this git revision's site instead of the working tree")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = ROOT
        if args.rev:
            source = tmp / "src"
            source.mkdir()
            archive = subprocess.run(["git", "archive", args.rev], cwd=ROOT, check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
        site = tmp / "site"
        site.mkdir()
        server = StaticSite(site)
        build(source, site, server.origin)
        if source != ROOT:
            shutil.rmtree(source)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium.executable(), args=chromium.FLAGS)
                context = browser.new_context(base_url=server.origin, viewport=PHONE, is_mobile=True,
                                              has_touch=True, device_scale_factor=1, bypass_csp=True,
                                              reduced_motion="reduce")
                context.set_default_timeout(10_000)
                page = context.new_page()
                goto(page, "/")
                open_search(page)
                print(f"Reader queries ({len(READER_QUERIES)}), phone 390 x 844:")
                reader = run(READER_QUERIES, page)
                print(f"Existing queries ({len(QUERIES)}), phone 390 x 844:")
                existing = run(QUERIES, page)
                browser.close()
        finally:
            server.stop()
    print(f"\n{args.rev or 'working tree'}")
    print(f"Reader queries:   {rates(reader)}")
    print(f"Existing queries: {rates(existing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
