"""Whole-site passes in a second process (kb.ahead): the same results and the same errors as in the
build's own process (KB_FORK=0), and the fallbacks when the second process cannot help."""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys


from conftest import ROOT, run_mkdocs_build
from test_citations import mini_site
from test_frontmatter_build import FIXTURES, build, make_site

INLINE = {"KB_FORK": "0"}


# ------------------------------------------------------------------------------------------ kb.ahead


def test_ahead_in_a_fresh_interpreter() -> None:
    """kb.ahead forks only a process with one thread, and this one may have more by now (browser
    tests, the static server): its own checks, tests/ahead_checks.py, run in a new pytest process."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(pathlib.Path(__file__).with_name("ahead_checks.py"))],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\b9 passed\b", result.stdout), result.stdout[-2000:]


# ------------------------------------------------------------------------------------ in the hooks


def _second_process_lines(output: str) -> list[str]:
    return re.findall(r"DEBUG +- +(.* in a second process.*)", output)


def test_real_site_is_the_same_built_either_way_and_the_passes_do_run_ahead(tmp_path: pathlib.Path) -> None:
    ahead_dir, inline_dir = tmp_path / "ahead", tmp_path / "inline"
    forked = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose", "--site-dir",
                             str(ahead_dir)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert forked.returncode == 0, forked.stderr[-3000:]
    lines = _second_process_lines(forked.stderr)
    assert any(line.startswith("front matter of ") for line in lines), lines
    assert any(line.startswith("citations of ") for line in lines), lines
    assert "bibliography read in a second process" in lines
    inline = run_mkdocs_build(inline_dir, env=INLINE)
    assert inline.returncode == 0, inline.stderr[-3000:]
    files = sorted(p.relative_to(ahead_dir) for p in ahead_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(inline_dir) for p in inline_dir.rglob("*") if p.is_file())
    different = [str(f) for f in files if (ahead_dir / f).read_bytes() != (inline_dir / f).read_bytes()]
    assert different == []


_FROZEN_AFTER_BUILD = """
import gc, os, sys
os.environ["NO_MKDOCS_2_WARNING"] = "1"
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file="mkdocs.yml", site_dir=sys.argv[1], strict=True)
if sys.argv[2] == "without":
    del config.hooks["hooks/gc_thaw.py"]
    config.plugins.pop("hooks/gc_thaw.py")
    config.plugins.events["post_build"] = [f for f in config.plugins.events["post_build"]
                                           if getattr(f, "__module__", "") != "hooks/gc_thaw.py"]
build(config)
print("frozen", gc.get_freeze_count())
"""


def test_the_build_ends_with_nothing_frozen(tmp_path: pathlib.Path) -> None:
    """kb.ahead freezes the build's objects before forking; hooks/gc_thaw.py unfreezes them at the end."""
    counts = {}
    for case in ("with", "without"):
        result = subprocess.run([sys.executable, "-c", _FROZEN_AFTER_BUILD, str(tmp_path / case), case],
                                cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        counts[case] = int(re.search(r"frozen (\d+)", result.stdout)[1])
    assert counts["without"] > 0, "the build forked nothing: the test would not show the thaw"
    assert counts["with"] == 0


def _problem_lines(output: str) -> list[str]:
    return sorted(re.sub(r"^(DEBUG|INFO|WARNING|ERROR) *- +", "", line) for line in output.splitlines()
                  if re.search(r"\b(FM|CIT|BIB)\d{3}\b", line))


def test_front_matter_errors_are_the_same_either_way(tmp_path: pathlib.Path) -> None:
    pages = {path.name: path.read_bytes() for path in sorted((FIXTURES / "bad").iterdir())}
    pages["index.md"] = (FIXTURES / "good" / "plain.md").read_bytes()
    site = make_site(tmp_path / "site", pages)
    forked = build(site, "--strict", "--verbose")
    assert "in a second process" in forked.stderr
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **INLINE}
    inline = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site / "site2")],
                            cwd=site, capture_output=True, text=True, env=env, timeout=120)
    assert forked.returncode == inline.returncode == 1
    assert _problem_lines(forked.stderr) and _problem_lines(forked.stderr) == _problem_lines(inline.stderr)


def test_a_page_mkdocs_leaves_out_is_not_checked(tmp_path: pathlib.Path) -> None:
    """The pages found on disk and the pages MkDocs lists differ: the hook checks MkDocs' list itself."""
    site = make_site(tmp_path, {"index.md": (FIXTURES / "good" / "plain.md").read_bytes()})
    (site / "docs" / "drafts").mkdir()
    (site / "docs" / "drafts" / "slash-date.md").write_bytes((FIXTURES / "bad" / "slash-date.md").read_bytes())
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "exclude_docs: drafts/\n", encoding="utf-8")
    result = build(site, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    assert "FM012" not in result.stderr
    assert "front matter of" not in result.stderr, "the result for other pages than MkDocs lists is not used"


SLOW_CITATIONS = """\
import logging, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
import kb.citations

logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")

cfg = load_config(config_file=sys.argv[1], site_dir=sys.argv[2], strict=True)
hook = next(module for name, module in cfg.hooks.items() if name.endswith("citations.py"))
read_site = hook._read_site
def slow_read_site(*args, **kwargs):  # the pass returns only once every page has rendered
    time.sleep(2)
    return read_site(*args, **kwargs)
hook._read_site = slow_read_site
render_page = kb.citations.render_page
early = []
def counted(markdown, bib, *args, references=True, **kwargs):
    if not references:
        early.append(1)
    return render_page(markdown, bib, *args, references=references, **kwargs)
kb.citations.render_page = counted
try:
    build(cfg)
except MkDocsException:  # MkDocs has logged the error
    sys.exit(1)
print(f"rendered early: {len(early)}")
"""


def _build_with_a_slow_pass(config: pathlib.Path, site: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SLOW_CITATIONS, str(config), str(site)], cwd=config.parent,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)})


def test_pages_rendered_before_the_citations_pass_is_back_get_the_same_html(tmp_path: pathlib.Path) -> None:
    pages = {"a.md": "# Page A\n\nOne [@feder2021; @abdallah2022]. Again [@feder2021].\n",
             "b.md": "---\ntitle: Page B\n---\n\n# B\n\nTwo [@fda2023] and [@feder2021].\n"}
    configs = []
    for name in ("slow", "inline"):
        (tmp_path / name).mkdir()
        config = mini_site(tmp_path / name, pages)
        # Another hook adds a citation to page A: its Markdown is not what the pass read from disk.
        (tmp_path / name / "notice.py").write_text(
            "def on_page_markdown(markdown, page, **kwargs):\n"
            "    return 'Added [@fda2023] first.\\n\\n' + markdown if page.file.src_uri == 'a.md' else markdown\n",
            encoding="utf-8")
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("hooks: [", f"hooks: [{tmp_path / name / 'notice.py'}, "), encoding="utf-8")
        configs.append(config)
    slow = _build_with_a_slow_pass(configs[0], tmp_path / "slow-site")
    assert slow.returncode == 0, slow.stderr
    assert "rendered early: 2" in slow.stdout, "both pages rendered before the pass was back"
    inline = run_mkdocs_build(tmp_path / "inline-site", configs[1], env=INLINE)
    assert inline.returncode == 0, inline.stderr
    for page in ("a/index.html", "b/index.html", "reference/references/index.html"):
        assert (tmp_path / "slow-site" / page).read_bytes() == (tmp_path / "inline-site" / page).read_bytes(), page
    a = (tmp_path / "slow-site" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<a class="footnote-ref" href="#fn:fda2023">1</a>' in a and '<li id="fn:fda2023">' in a


def test_an_unknown_key_met_before_the_pass_is_back_still_reports_every_problem(tmp_path: pathlib.Path) -> None:
    config = mini_site(tmp_path, {"a.md": "# A\n\nOne [@feder2021; @abdallah2022] [@fda2023] [@nope1].\n",
                                  "b.md": "---\ntitle: B\n---\n\n# B\n\nTwo [@nope2].\n"})
    result = _build_with_a_slow_pass(config, tmp_path / "site")
    assert result.returncode == 1
    assert "2 citation problem(s):" in result.stderr
    assert "docs/a.md:3:44: CIT001 error: unknown citation key 'nope1'" in result.stderr
    assert "docs/b.md:7:5: CIT001 error: unknown citation key 'nope2'" in result.stderr
    assert "Traceback" not in result.stderr


SLOW_FRONT_MATTER = """\
import logging, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
cfg = load_config(config_file=sys.argv[1], site_dir=sys.argv[2], strict=True)
hook = next(module for name, module in cfg.hooks.items() if name.endswith("frontmatter.py"))
check_disk = hook._check_disk
def slow_check_disk(*args, **kwargs):  # the check is not back when MkDocs has listed the pages
    time.sleep(2)
    return check_disk(*args, **kwargs)
hook._check_disk = slow_check_disk
try:
    build(cfg)
except MkDocsException:  # MkDocs has logged the error
    sys.exit(1)
"""


def _build_with_a_slow_check(site: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SLOW_FRONT_MATTER, str(site / "mkdocs.yml"), str(site / "site")],
                          cwd=site, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)})


def test_front_matter_errors_found_while_pages_render_stop_the_build_with_every_problem(tmp_path: pathlib.Path) -> None:
    pages = {path.name: path.read_bytes() for path in sorted((FIXTURES / "bad").iterdir())}
    pages["index.md"] = (FIXTURES / "good" / "plain.md").read_bytes()
    slow_site = make_site(tmp_path / "slow", pages)
    slow = _build_with_a_slow_check(slow_site)
    inline_site = make_site(tmp_path / "inline", pages)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **INLINE}
    inline = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(inline_site / "site")],
                            cwd=inline_site, capture_output=True, text=True, env=env, timeout=120)
    assert slow.returncode == inline.returncode == 1
    assert "Traceback" not in slow.stderr
    assert re.search(r"\d+ front matter errors", slow.stderr)
    assert _problem_lines(slow.stderr) == _problem_lines(inline.stderr)
    assert not list((slow_site / "site").rglob("*.html")), "no page was written"


def test_a_valid_site_checked_while_pages_render_is_built_as_in_one_process(tmp_path: pathlib.Path) -> None:
    pages = {path.name: path.read_bytes() for path in (FIXTURES / "good").iterdir()}
    pages["index.md"] = pages.pop("plain.md")
    slow_site = make_site(tmp_path / "slow", pages)
    slow = _build_with_a_slow_check(slow_site)
    assert slow.returncode == 0, slow.stderr
    inline_site = make_site(tmp_path / "inline", pages)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **INLINE}
    inline = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(inline_site / "site")],
                            cwd=inline_site, capture_output=True, text=True, env=env, timeout=120)
    assert inline.returncode == 0, inline.stderr
    def without_build_date(html: bytes) -> bytes:  # MkDocs' own theme notes when it built the page
        return re.sub(rb"Build Date UTC : [^\n]*", b"", html)

    for page in sorted((inline_site / "site").rglob("*.html")):
        relative = page.relative_to(inline_site / "site")
        assert without_build_date((slow_site / "site" / relative).read_bytes()) == without_build_date(page.read_bytes())
