"""Benchmarks, before and after side by side: code size, build, `make check`, edit-to-reload, Lighthouse.

    python benchmarks/run.py                     # what `make bench` runs
    python benchmarks/run.py --no-lighthouse     # without the Lighthouse scores (a few minutes less)
    python benchmarks/run.py --before REV        # compare with another revision (default 9bac928)

"Before" is a revision of this repository (by default the last one with the speed machinery),
checked out under benchmarks/.work/before with a virtual environment of its own pinned
requirements; "after" is the working tree. Figures:

- lines of Python in hooks/, kb/ and tests/, and hook files (and non-Python files in hooks/);
- the real site's `mkdocs build --strict`, median of several runs, against the same pages and
  config without our hooks (the target: at most 1.3 times as long);
- `make check` (python -m kb.check), median (the target: 1 s at most);
- plain `mkdocs serve` (as `make serve` runs it): seconds from saving a page to the served page
  showing the edit, at the real 32 pages and at 300 generated pages (targets: 1 s and 5 s);
- Lighthouse (mobile preset) of the home page and the first page of each tab, after only.

Tables go to stdout (Markdown) and the figures to benchmarks/out/results.json. Timings move with
the machine's load: read the medians side by side, not one figure alone. Exit status 0, or 2 when
something to measure could not be set up (the message says what).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

WORK = HERE / ".work"
OUT = HERE / "out"
PY = Path(sys.executable)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
SERVE_ARGS = ["serve", "--no-strict", "--watch", "overrides", "--watch", "includes", "--watch", "data",
              "--watch", "schema"]
"""The `make serve` command (keep in step with the Makefile)."""
TARGETS = {"build ratio": 1.3, "check s": 1.0, "reload s (32)": 1.0, "reload s (300)": 5.0}


def timed(command: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall-clock seconds of ``command`` (which must succeed)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1) or "Traceback" in result.stderr:
            raise SystemExit(f"benchmark: {' '.join(command)} failed in {cwd}:\n{result.stderr[-2000:]}")
    return statistics.median(times)


def python_lines(tree: dict[str, str], folder: str) -> int:
    return sum(text.count("\n") for path, text in tree.items() if path.startswith(folder) and path.endswith(".py"))


def tree_at(revision: str | None) -> dict[str, str]:
    """path -> text of the files of hooks/, kb/ and tests/ at ``revision`` (None: the working tree)."""
    if revision is None:
        return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8", errors="replace")
                for folder in ("hooks", "kb", "tests") for p in (ROOT / folder).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", revision, "hooks", "kb", "tests"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    return {name: subprocess.run(["git", "show", f"{revision}:{name}"], cwd=ROOT, capture_output=True,
                                 text=True, errors="replace").stdout for name in names}


def code_size(revision: str | None) -> dict[str, int]:
    tree = tree_at(revision)
    hooks = [p for p in tree if p.startswith("hooks/")]
    return {"hooks .py lines": python_lines(tree, "hooks/"), "kb .py lines": python_lines(tree, "kb/"),
            "tests .py lines": python_lines(tree, "tests/"), "hook files": sum(p.endswith(".py") for p in hooks),
            "other files in hooks/": sum(not p.endswith(".py") for p in hooks)}


def before_checkout(revision: str) -> tuple[Path, Path]:
    """The revision's files and a virtual environment with its pinned requirements."""
    tree, venv = WORK / "before", WORK / "venv-before"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(tree / "requirements.txt"), "-c", str(tree / "constraints.txt")], check=True)
    return tree, venv


def without_hooks(project: Path) -> Path:
    """A config of the same pages and settings without our hooks."""
    config = project / "mkdocs.no-hooks.yml"
    config.write_text(f"INHERIT: {project / 'mkdocs.yml'}\nhooks: []\n", encoding="utf-8")
    return config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def reload_seconds(project: Path, page: str, url_path: str, runs: int = 3) -> float:
    """Median seconds from saving ``page`` to the served page showing the edit, under plain mkdocs serve."""
    port = free_port()
    server = subprocess.Popen([str(PY), "-m", "mkdocs", *SERVE_ARGS, "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}{url_path}"
    path = project / "docs" / page
    original = path.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 180
        while not fetch(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not fetch(url):
            raise SystemExit(f"benchmark: mkdocs serve did not answer on {url}")
        times = []
        for n in range(runs):
            marker = f"Benchmark edit {n} {time.time_ns()}"
            start = time.perf_counter()
            path.write_text(original + f"\n{marker}\n", encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - start > 120:
                    raise SystemExit(f"benchmark: the edit never showed on {url}")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            time.sleep(1)
        return statistics.median(times)
    finally:
        path.write_text(original, encoding="utf-8")
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def copy_site(to: Path) -> Path:
    if to.exists():
        shutil.rmtree(to)
    to.mkdir(parents=True)
    for name in ("docs", "data", "includes", "overrides", "hooks", "schema", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, to / name)
    return to


def table(rows: list[tuple[str, object, object]], head: tuple[str, str, str]) -> str:
    out = [f"| {head[0]} | {head[1]} | {head[2]} |", "|---|---:|---:|"]
    out += [f"| {name} | {before} | {after} |" for name, before, after in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="9bac928", help="the revision to compare with (default: 9bac928)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each build and check (default 5)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)
    OUT.mkdir(exist_ok=True)
    results: dict[str, dict[str, object]] = {"before": {}, "after": {}}

    results["before"].update(code_size(args.before))
    results["after"].update(code_size(None))

    before, venv = before_checkout(args.before)
    old_mkdocs = [str(venv / "bin" / "python"), "-m", "mkdocs", "build", "--strict", "-q", "-d"]
    results["before"]["build s"] = timed([*old_mkdocs, str(WORK / "site-before")], before, args.runs)
    results["before"]["build s, no hooks"] = timed(
        [*old_mkdocs, str(WORK / "site-before-bare"), "-f", str(without_hooks(before))], before, args.runs)
    results["before"]["check s"] = timed([str(venv / "bin" / "python"), "-m", "kb.check", "docs"], before, args.runs,
                                         {**ENV, "PYTHONPATH": str(before)})

    after = copy_site(WORK / "after")
    mkdocs = [str(PY), "-m", "mkdocs", "build", "--strict", "-q", "-d"]
    results["after"]["build s"] = timed([*mkdocs, str(WORK / "site-after")], after, args.runs)
    results["after"]["build s, no hooks"] = timed(
        [*mkdocs, str(WORK / "site-after-bare"), "-f", str(without_hooks(after))], after, args.runs)
    results["after"]["check s"] = timed([str(PY), "-m", "kb.check"], after, args.runs)
    for side in ("before", "after"):
        figures = results[side]
        figures["build ratio"] = round(figures["build s"] / figures["build s, no hooks"], 2)

    results["after"]["reload s (32)"] = reload_seconds(after, "ketamine/safety.md", "/ketamine/safety/")
    generated = generate(300, WORK / "generated-300").parent
    results["after"]["reload s (300)"] = reload_seconds(generated, "s001/p001.md", "/s001/p001/")

    rows = [(name, results["before"].get(name, "-"), results["after"].get(name, "-"))
            for name in ("hook files", "hooks .py lines", "other files in hooks/", "kb .py lines", "tests .py lines",
                         "build s", "build s, no hooks", "build ratio", "check s", "reload s (32)", "reload s (300)")]
    rows = [(name, f"{b:.2f}" if isinstance(b, float) else b, f"{a:.2f}" if isinstance(a, float) else a)
            for name, b, a in rows]
    print(f"## Before ({args.before}) and after (working tree), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(table(rows, ("Figure", "Before", "After")))
    print("\nTargets: " + ", ".join(f"{name} <= {limit} (now {results['after'][name]:.2f}: "
                                     f"{'met' if results['after'][name] <= limit else 'NOT met'})"
                                     for name, limit in TARGETS.items()))

    if not args.no_lighthouse:
        lighthouse = subprocess.run([str(PY), str(HERE / "lighthouse.py"), "--main", "--runs", "1"], cwd=ROOT,
                                    env=ENV, capture_output=True, text=True)
        print("\n## Lighthouse (mobile preset, one run a page)\n")
        print(lighthouse.stdout.strip() or lighthouse.stderr.strip())
        results["after"]["lighthouse"] = lighthouse.stdout

    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
