"""The prebuilt search index (hooks/search_prebuilt.py) answers exactly like Material's own worker.

On a synthetic 60-page site (benchmarks/generate.py: the project's config, hooks and bibliography)
built with KB_SEARCH_PREBUILT=1 (the real site is below the size where the hook prebuilds by itself):
the shipped worker is the patched one, the prebuilt index matches search_index.json, and for
reader-style queries the patched worker loading search/search_lunr.json (as readers' browsers now do)
answers as Material's own worker building its index from the docs: same results, scores and
suggestions, and the same highlights for the result groups shown in full.
"""
from __future__ import annotations

import itertools
import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import search_prebuilt  # noqa: E402

QUERIES = ["ketamine", "ptsd", "side effects", "esketamine nasal spray", "dissoc", "how long does it last",
           "therapy", "blood pressure", "suicid", "veterans", "placebo", "what is", "caps-5", "nasal spray trial"]

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed to build the index")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from conftest import run_mkdocs_build
    from generate import generate

    config = generate(60, tmp_path_factory.mktemp("synthetic"))
    site = config.parent / "site"
    result = run_mkdocs_build(site, config, env={"KB_SEARCH_PREBUILT": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_shipped_worker_is_patched(built_site: pathlib.Path) -> None:
    worker = next((built_site / search_prebuilt.WORKERS).glob("search.*.min.js"))
    text = worker.read_text(encoding="utf-8")
    assert "kbLoad" in text and "lunr.Index.load(kbExpand" in text
    assert not list((built_site / search_prebuilt.WORKERS).glob("*.tmp.js"))


def test_prebuilt_index_matches_the_docs(built_site: pathlib.Path) -> None:
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    lunr = json.loads((built_site / "search/search_lunr.json").read_text(encoding="utf-8"))
    assert lunr["refs"] == [doc["location"] for doc in docs]
    assert lunr["boosts"] == [doc.get("boost", 1) for doc in docs]
    numbers: set[int] = set()
    for _, _, *postings in lunr["terms"]:
        for pairs in postings:
            numbers.update(itertools.accumulate(pairs[0::2]))
    assert numbers <= set(range(len(docs))) and len(numbers) > len(docs) // 2


SHOWN_IN_FULL = 50  # kbShownInFull in hooks/search_prebuilt_worker.js
MARK = re.compile(r"</?mark>")


def stock_worker() -> pathlib.Path:
    """Material's own search worker, as the installed package ships it."""
    import material

    workers = pathlib.Path(material.__file__).parent / "templates" / search_prebuilt.WORKERS
    return next(workers.glob("search.*.min.js"))


def test_same_answers_as_materials_own_worker(built_site: pathlib.Path) -> None:
    """Same groups, entries, scores, terms and suggestions as Material's worker; the same highlights in
    the first SHOWN_IN_FULL groups; after them, plain teasers of the entry's text."""
    result = subprocess.run(["node", str(ROOT / "tests/search_prebuilt_compare.cjs"), str(built_site),
                             str(stock_worker()), *QUERIES], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert any(a["items"] for a in answers["stock"]), "no query found anything: the comparison would be empty"
    assert any(len(a["items"]) > SHOWN_IN_FULL for a in answers["stock"]), "no query reaches the teasers"
    for query, stock, prebuilt in zip(QUERIES, answers["stock"], answers["prebuilt"]):
        assert prebuilt.get("suggest") == stock.get("suggest"), query
        assert len(prebuilt["items"]) == len(stock["items"]), query
        assert prebuilt["items"][:SHOWN_IN_FULL] == stock["items"][:SHOWN_IN_FULL], \
            f"search for {query!r} differs from Material's in the groups shown in full"
        for ours, theirs in zip(itertools.chain(*prebuilt["items"][SHOWN_IN_FULL:]),
                                itertools.chain(*stock["items"][SHOWN_IN_FULL:])):
            for key in ("location", "score", "terms", "boost"):
                assert ours.get(key) == theirs.get(key), (query, key)
            assert ours["title"] == MARK.sub("", theirs["title"])
            assert "<mark>" not in ours.get("text", "") and len(ours.get("text", "")) <= 240 + len("<p>…</p>")


def test_patch_refuses_an_unknown_worker() -> None:
    assert search_prebuilt.patch("not Material's worker") is None


def test_small_site_keeps_the_stock_worker(tmp_path: pathlib.Path) -> None:
    """Below AUTO_MIN_PAGES the hook leaves Material's worker and writes no second file."""
    from conftest import run_mkdocs_build
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    config = generate(8, tmp_path)
    site = tmp_path / "site"
    result = run_mkdocs_build(site, config, env={"KB_SEARCH_PREBUILT": "auto"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (site / "search/search_lunr.json").exists()
    worker = next((site / search_prebuilt.WORKERS).glob("search.*.min.js")).read_text(encoding="utf-8")
    assert "kbLoad" not in worker


def test_missing_node_stops_a_strict_build(tmp_path: pathlib.Path) -> None:
    """Without Node the site still works (stock search), but --strict says why no index was written."""
    from conftest import run_mkdocs_build
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    config = generate(8, tmp_path)
    no_node = tmp_path / "bin"
    no_node.mkdir()
    result = run_mkdocs_build(tmp_path / "site", config, env={"KB_SEARCH_PREBUILT": "1", "PATH": str(no_node)})
    assert result.returncode == 1
    assert "Node.js not found: search/search_lunr.json not written" in result.stderr
    assert "Traceback" not in result.stderr


ENTRIES = [{"location": "a/", "title": "Ketamine", "text": "<p>Ketamine for PTSD.</p>"},
           {"location": "a/#risks", "title": "Risks", "text": "<p>Blood pressure rises.</p>", "boost": 2},
           {"location": "b/", "title": "Therapy", "text": "<p>Trauma-focused therapy helps</p>", "tags": ["therapy"]}]
CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
          "fields": {"title": {"boost": 3}, "text": {"boost": 1}, "tags": {"boost": 1}}}


@pytest.fixture()
def index_builder():
    """An IndexBuilder running the patched worker, closed after the test."""
    from kb.search_prebuild import IndexBuilder

    builders = []

    def start() -> IndexBuilder:
        worker = search_prebuilt.patch(stock_worker().read_text(encoding="utf-8"))
        builders.append(IndexBuilder(shutil.which("node"), search_prebuilt.SCRIPT, worker, CONFIG))
        return builders[-1]

    yield start
    for builder in builders:
        builder.close()


def test_entries_fed_one_page_at_a_time(index_builder) -> None:
    builder = index_builder()
    entries: list[dict] = []
    for entry in ENTRIES:  # as the search plugin's list grows page by page
        entries.append(entry)
        builder.add(entries)
    written = builder.finish(entries, CONFIG)
    assert written is not None, builder.error
    index = json.loads(written.read_text(encoding="utf-8"))
    assert index["refs"] == ["a/", "a/#risks", "b/"] and index["boosts"] == [1, 2, 1]
    assert index["fieldBoosts"] == [3, 1, 1]
    terms = {row[0]: row[2:] for row in index["terms"]}  # [title, text, tags] postings: [entry, frequency]
    assert terms["ketamine"] == [[0, 1], [0, 1], []]
    assert terms["therapy"] == [[2, 1], [2, 1], [2, 1]]
    assert terms["pressure"] == [[], [1, 1], []]
    builder.close()
    assert not written.exists()


def test_node_completes_the_index_once_told_the_list_is_complete(index_builder) -> None:
    """After end() (the last page rendered) Node writes the index and exits without waiting for finish()."""
    builder = index_builder()
    builder.end(ENTRIES)
    builder._process.wait(timeout=60)
    assert builder.output.exists()
    written = builder.finish(ENTRIES, CONFIG)
    assert written is not None, builder.error
    assert json.loads(written.read_text(encoding="utf-8"))["refs"] == ["a/", "a/#risks", "b/"]


def test_entries_added_after_the_end_give_no_index(index_builder) -> None:
    builder = index_builder()
    builder.end(ENTRIES[:2])
    assert builder.finish(ENTRIES, CONFIG) is None
    assert "search entries changed after their pages were rendered" in builder.error


@pytest.mark.parametrize("change, message", [
    (lambda entries: entries[:-1], "search entries changed after their pages were rendered"),
    (lambda entries: [*entries[:-1], dict(entries[-1])], "search entries changed after their pages were rendered"),
    (lambda entries: [*entries, {**entries[0]}], "two search entries for a/"),
])
def test_an_index_that_would_not_match_is_not_written(index_builder, change, message) -> None:
    builder = index_builder()
    builder.add(ENTRIES)
    assert builder.finish(change(ENTRIES), CONFIG) is None
    assert message in builder.error


def test_a_node_that_stopped_is_reported_not_waited_for(index_builder) -> None:
    builder = index_builder()
    builder._process.kill()
    builder._process.wait()
    builder.add(ENTRIES)
    assert builder.finish(ENTRIES, CONFIG) is None
    assert "the index builder stopped" in builder.error
    assert not builder._writer.is_alive()


def test_a_readers_browser_searches_with_the_prebuilt_index(built_site: pathlib.Path, browser) -> None:
    """In Chromium: the worker loads search/search_lunr.json, answers, highlights, and counts every page."""
    from kb.static_server import StaticSite

    expected = json.loads(subprocess.run(
        ["node", str(ROOT / "tests/search_prebuilt_compare.cjs"), str(built_site), str(stock_worker()), "ketamine"],
        capture_output=True, text=True, timeout=300, check=True).stdout)["stock"][0]["items"]
    with StaticSite(built_site, compress=True) as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            fetched: list[str] = []
            page.on("requestfinished", lambda request: fetched.append(request.url))
            page.goto(f"{server.origin}/s001/p001/")
            box = page.locator("input.md-search__input")
            box.focus()
            box.fill("ketamine")
            box.press("End")
            page.wait_for_selector(".md-search-result__item mark", timeout=30_000)
            assert f"{server.origin}/search/search_lunr.json" in fetched
            assert [w.evaluate("self.kbSearchIndex") for w in page.workers] == ["search/search_lunr.json"]
            meta = page.locator(".md-search-result__meta").inner_text()
            assert meta == f"{len(expected)} matching documents"
            first = page.locator(".md-search-result__item").first.locator("h1").inner_text()
            assert first == MARK.sub("", expected[0][0]["title"])
        finally:
            context.close()


def test_a_build_stopped_half_way_leaves_no_process_or_files(tmp_path: pathlib.Path) -> None:
    """The Node process and its temporary folder go when Python exits, even if the build never ends."""
    script = f"""
import sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "hooks")!r}, {str(ROOT / "tests")!r}]
import shutil, search_prebuilt
from test_search_prebuilt import CONFIG, ENTRIES, stock_worker
from kb.search_prebuild import IndexBuilder
worker = search_prebuilt.patch(stock_worker().read_text(encoding="utf-8"))
builder = IndexBuilder(shutil.which("node"), search_prebuilt.SCRIPT, worker, CONFIG)
builder.add(ENTRIES)
print(builder._process.pid, builder._dir)
raise SystemExit(3)  # as a failing build would, without finish() or close()
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    pid, folder = result.stdout.split()
    assert not pathlib.Path(folder).exists()
    assert not pathlib.Path(f"/proc/{pid}").exists(), "Node is still running"
