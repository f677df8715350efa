"""Benchmarks: build, hooks, validator, edit loop, search and page weight at N pages.

    python benchmarks/run.py                 # N = 100 and 1,000 (what `make bench` runs)
    python benchmarks/run.py --full          # also N = 3,000 (a few minutes more)
    python benchmarks/run.py --sizes 100 --no-browser --no-serve

For each N it generates a synthetic site (benchmarks/generate.py) under benchmarks/.work/,
then measures, whole process and wall clock:
- `mkdocs build --strict` time (median of several runs at small N, fewer at large N), peak memory
  (max RSS of the build process), ms per page, site size (total and per page), search index size
  (raw and gzipped);
- our hooks: the time spent inside each hook's event functions (timed_build.py wraps them; with the
  garbage collector's pauses that fell inside them), and interleaved builds with every hook, with
  none, with only the hook that just makes Markdown faster, and with every hook but the whole-site
  passes kept in the build's own process (KB_FORK=0) (A/B/C/D, medians); CPU time including child
  processes (the search index is built by a Node process running alongside the build, the
  whole-site passes by forked copies of the build);
- the front matter validator's pages per second (benchmarks/bench_validator.py or kb.frontmatter);
- `mkdocs serve` edit-to-reload latency: edit one page, wait on the live-reload endpoint the browser
  polls, then check the served page, its navigation and the whole search index;
- in Chromium (benchmarks/browser.py): time from page load to the first answered search query, the
  search worker's memory, and bytes transferred (gzip) for a first page and an instant-navigation
  second page, with and without the search index.
Tables go to stdout (Markdown) and all figures to benchmarks/out/results.json.
The machine is shared: run under `nice`, and read medians, not single figures.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import signal
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

PY = str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else sys.executable
MKDOCS = str(Path(PY).parent / "mkdocs")
WORK = HERE / ".work"
OUT = HERE / "out"
# Built for the origin browser.py serves on: instant navigation only works at the site_url origin.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1",
       "SITE_URL": f"http://127.0.0.1:{os.environ.get('BENCH_PORT', '8931')}/"}
NICE = ["nice", "-n", "10"]
# The `make serve` command measured (keep in step with the Makefile's serve target).
SERVE_ARGS = ["serve", "--dirty", "--watch", "hooks", "--watch", "overrides", "--watch", "includes",
              "--watch", "data", "--watch", "kb", "--watch", "schema"]


def run_child(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, str, str, int]:
    """Run cmd under nice; return (wall seconds, 0, stdout, stderr, exit status)."""
    t = time.perf_counter()
    proc = subprocess.Popen(NICE + cmd, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    return wall, 0, out, err, proc.returncode


def timed_build(cfg: Path, site: Path, env: dict | None = None) -> dict:
    """One whole-process strict build with the hooks timed inside; wall, peak RSS, hook seconds."""
    shutil.rmtree(site, ignore_errors=True)
    cmd = ["/usr/bin/time", "-f", "MAXRSS_KB=%M CPU_S=%U+%S", PY, str(HERE / "timed_build.py"), str(cfg), str(site)]
    wall, _, out, err, rc = run_child(cmd, cfg.parent, {**ENV, **(env or {})})
    if rc != 0:
        raise RuntimeError(f"build of {cfg} failed:\n{err[-3000:]}")
    rss = int(re.search(r"MAXRSS_KB=(\d+)", err)[1]) / 1024
    user, system = re.search(r"CPU_S=([\d.]+)\+([\d.]+)", err).groups()  # with child processes (Node)
    info = json.loads(out.strip().splitlines()[-1])
    return {"wall_s": wall, "rss_mib": rss, "cpu_s": float(user) + float(system), **info}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def gz_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def hooks_config(cfg: Path, name: str, hooks: list[str]) -> Path:
    """A config that inherits cfg with only `hooks` (none: citations then stay as plain text)."""
    variant = cfg.parent / f"mkdocs-{name}.yml"
    variant.write_text(f"INHERIT: {cfg.name}\nhooks: {json.dumps(hooks)}\n", encoding="utf-8")
    return variant


# The hook that only makes Markdown faster (same HTML): kept in the "feature hooks off" variant, so
# that A/B isolates what the other hooks cost instead of crediting them with its speed-up.
SPEED_ONLY_HOOKS = ["hooks/abbr_blocks.py"]


def without_hook(cfg: Path, hook: str) -> Path:
    """A config that inherits cfg with one hook left out (a before/after comparison)."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        hooks = [h for h in (yaml.load(f, Loader=get_yaml_loader()).get("hooks") or []) if h != hook]
    variant = cfg.parent / f"mkdocs-without-{Path(hook).stem}.yml"
    variant.write_text(f"INHERIT: {cfg.name}\n" + yaml.safe_dump({"hooks": hooks}), encoding="utf-8")
    return variant


def stock_search_copy(site: Path) -> Path:
    """A copy of a built site with Material's own search worker and no prebuilt index."""
    import material

    copy = site.with_name(site.name + "-stock-search")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy)
    workers = Path(material.__file__).parent / "templates/assets/javascripts/workers"
    for worker in workers.glob("search.*.min.js"):
        shutil.copy2(worker, copy / "assets/javascripts/workers" / worker.name)
    (copy / "search/search_lunr.json").unlink(missing_ok=True)
    return copy


def bench_build(n: int, cfg: Path, runs: int) -> dict:
    site_a, site_b, site_c = cfg.parent / "site", cfg.parent / "site-nohooks", cfg.parent / "site-speed-hooks-only"
    site_d = cfg.parent / "site-one-process"
    variant = hooks_config(cfg, "nohooks", [])
    speed_only = hooks_config(cfg, "speed-hooks-only", SPEED_ONLY_HOOKS)
    with_h, without_h, speed_h, one_process = [], [], [], []
    for _ in range(runs):  # interleaved A/B/C/D/A/B/C/D: drift in machine load hits all alike
        with_h.append(timed_build(cfg, site_a))
        without_h.append(timed_build(variant, site_b))
        speed_h.append(timed_build(speed_only, site_c))
        one_process.append(timed_build(cfg, site_d, {"KB_FORK": "0"}))  # every pass on the build's thread
    med = lambda rows, k: statistics.median(r[k] for r in rows)  # noqa: E731
    hooks_inside = [sum(r["hooks_s"].values()) for r in with_h]
    hooks_one_process = [sum(r["hooks_s"].values()) for r in one_process]
    per_hook: dict[str, float] = {}
    for r in with_h:
        for k, v in r["hooks_s"].items():
            per_hook[k] = per_hook.get(k, 0) + v / len(with_h)
    index = (site_a / "search/search_index.json").read_bytes()
    pages = sum(1 for _ in site_a.rglob("index.html")) - 0
    res = {
        "n": n, "runs": runs,
        "wall_s": med(with_h, "wall_s"), "wall_all": [r["wall_s"] for r in with_h],
        "build_s": med(with_h, "build_s"),
        "rss_mib": max(r["rss_mib"] for r in with_h),
        "ms_per_page": 1000 * med(with_h, "wall_s") / n,
        "site_bytes": dir_size(site_a), "html_files": pages,
        "index_bytes": len(index), "index_gz": gz_size(index),
        "index_docs": len(json.loads(index)["docs"]),
        "nohooks_wall_s": med(without_h, "wall_s"), "nohooks_all": [r["wall_s"] for r in without_h],
        "speed_only_wall_s": med(speed_h, "wall_s"), "speed_only_all": [r["wall_s"] for r in speed_h],
        "cpu_s": med(with_h, "cpu_s"), "speed_only_cpu_s": med(speed_h, "cpu_s"),
        "hooks_inside_s": statistics.median(hooks_inside), "per_hook_s": per_hook,
        "hooks_inside_all": hooks_inside, "build_all": [r["build_s"] for r in with_h],
        "gc_s": med(with_h, "gc_s"), "gc_in_hooks_s": med(with_h, "gc_in_hooks_s"),
        "one_process_hooks_s": statistics.median(hooks_one_process),
        "one_process_build_s": med(one_process, "build_s"), "one_process_wall_s": med(one_process, "wall_s"),
        "one_process_cpu_s": med(one_process, "cpu_s"),
    }
    lunr = site_a / "search/search_lunr.json"
    if lunr.exists():
        data = lunr.read_bytes()
        res["lunr_bytes"], res["lunr_gz"] = len(data), gz_size(data)
    res["site_per_page_kb"] = res["site_bytes"] / n / 1024
    res["hooks_pct_inside"] = 100 * res["hooks_inside_s"] / res["build_s"]
    res["hooks_pct_each"] = [100 * h / b for h, b in zip(hooks_inside, res["build_all"])]
    res["one_process_pct"] = 100 * res["one_process_hooks_s"] / res["one_process_build_s"]
    res["hooks_pct_ab"] = 100 * (res["wall_s"] - res["nohooks_wall_s"]) / res["nohooks_wall_s"]
    res["features_pct_ab"] = 100 * (res["wall_s"] - res["speed_only_wall_s"]) / res["speed_only_wall_s"]
    res["features_pct_cpu"] = 100 * (res["cpu_s"] - res["speed_only_cpu_s"]) / res["speed_only_cpu_s"]
    shutil.rmtree(site_c, ignore_errors=True)
    shutil.rmtree(site_d, ignore_errors=True)
    return res


def bench_validator(docs: Path) -> dict:
    """Pages per second of the front matter validator, from the validator's own benchmark if present."""
    own = HERE / "bench_validator.py"
    if own.exists():
        wall, _, out, err, rc = run_child([PY, str(own), str(docs)], ROOT)
        if rc == 0:
            m = re.search(r"([\d,.]+)\s*pages?\s*(?:/|per)\s*s", out)
            if m:
                return {"pages_per_s": float(m[1].replace(",", "")), "source": "bench_validator.py",
                        "output": out.strip()[-500:]}
    # Fallback: the command line over the whole folder, minus interpreter start-up (an empty folder).
    empty = WORK / "empty-docs"
    empty.mkdir(parents=True, exist_ok=True)
    count = sum(1 for _ in docs.rglob("*.md"))
    base = statistics.median(run_child([PY, "-m", "kb.frontmatter", str(empty)], ROOT)[0] for _ in range(3))
    runs = [run_child([PY, "-m", "kb.frontmatter", str(docs), "--format", "json"], ROOT) for _ in range(3)]
    if any(r[4] not in (0, 1) for r in runs):
        return {"error": runs[0][3][-500:]}
    wall = statistics.median(r[0] for r in runs)
    return {"pages_per_s": count / max(wall - base, 1e-3), "source": "python -m kb.frontmatter (minus start-up)",
            "wall_s": wall, "startup_s": base}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8", "replace")


def bench_serve(n: int, cfg: Path, args: list[str], label: str, edits: int = 3) -> dict:
    """Start `mkdocs serve`, edit a page, wait for the live-reload signal the browser waits on.

    Reports edit-to-visible seconds per edit (median), then checks, after a title edit, that a
    sibling page's navigation shows the new title and that the served search index covers all pages.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = cfg.parent / f"serve-{port}.log"
    log_file = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(NICE + [MKDOCS] + args + ["-f", str(cfg), "-a", f"127.0.0.1:{port}"], cwd=cfg.parent,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=log_file, text=True,
                            start_new_session=True)
    page_src = cfg.parent / "docs/s001/p002.md"
    original = page_src.read_text(encoding="utf-8")
    res: dict = {"label": label, "args": " ".join(args)}
    try:
        t0 = time.perf_counter()
        while True:
            try:
                html = http_get(base + "s001/p002/", timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"mkdocs serve exited: {log_path.read_text()[-2000:]}")
                if time.perf_counter() - t0 > 900:
                    raise RuntimeError("mkdocs serve did not start")
                time.sleep(0.25)
        res["startup_s"] = time.perf_counter() - t0
        lat = []
        for i in range(edits):
            epoch = re.search(r"livereload\((\d+),", html)[1]
            marker = f"edit-marker-{i}-{time.time_ns()}"
            time.sleep(1.1)  # a new mtime second, so --dirty sees the file as modified
            t = time.perf_counter()
            page_src.write_text(original + f"\n\nA sentence added while editing ({marker}).\n", encoding="utf-8")
            http_get(base + f"livereload/{epoch}/1")  # returns when the rebuilt site is visible
            html = http_get(base + "s001/p002/")
            lat.append(time.perf_counter() - t)
            if marker not in html:
                res["stale"] = True
        # After body edits: the edited page's navigation names its siblings, and the index is whole.
        sibling_title = re.search(r"(?m)^title: '?(.*?)'?$", (cfg.parent / "docs/s001/p003.md").read_text())[1]
        res["edit_nav_ok"] = sibling_title in html
        index = json.loads(http_get(base + "search/search_index.json"))
        res["edit_search_ok"] = (len({d["location"].split("#")[0] for d in index["docs"]}) == n
                                 and any(marker in d["text"] for d in index["docs"]))
        res["edit_s"] = statistics.median(lat)
        res["edit_all"] = lat
        # Correctness after a title change: a sibling's nav and the whole search index.
        epoch = re.search(r"livereload\((\d+),", html)[1]
        new_title = f"Renamed page {time.time_ns()}"
        time.sleep(1.1)
        t = time.perf_counter()
        renamed = re.sub(r"(?m)^title: .*$", f"title: {new_title}", original, count=1)
        renamed = re.sub(r"(?m)^# .*$", f"# {new_title}", renamed, count=1)  # search titles come from the H1
        page_src.write_text(renamed, encoding="utf-8")
        http_get(base + f"livereload/{epoch}/1")
        sibling = http_get(base + "s001/p003/")
        res["title_edit_s"] = time.perf_counter() - t
        res["nav_ok"] = new_title in sibling
        index = json.loads(http_get(base + "search/search_index.json"))
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        res["index_pages"] = len(pages)
        own = [d for d in index["docs"] if d["location"] == "s001/p002/"]
        res["search_ok"] = len(pages) == n and bool(own) and new_title in own[0]["title"]
        if not res["search_ok"]:
            res["search_entry"] = own[:1]
    finally:
        page_src.write_text(original, encoding="utf-8")
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log_file.close()
        # Full rebuilds the hook chose, and why (on a shared machine, others' edits to data/ count too).
        res["full_rebuilds"] = re.findall(r"Rebuilding every page: (.*)", log_path.read_text(encoding="utf-8"))
        res["aborted_builds"] = log_path.read_text(encoding="utf-8").count("Aborted with")
    return res


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) // 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_mib": mem, "python": platform.python_version(),
            "load": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def table(rows: list[dict], cols: list[tuple[str, str, str]]) -> str:
    head = "| " + " | ".join(c[0] for c in cols) + " |\n|" + "---|" * len(cols) + "\n"
    body = ""
    for r in rows:
        cells = []
        for _, key, fmt in cols:
            v = r.get(key)
            if fmt == "list":  # every run's figure, to show the spread
                cells.append(" / ".join(f"{x:.2f}" for x in v or ()))
            else:
                cells.append("" if v is None else (fmt.format(v) if fmt else str(v)))
        body += "| " + " | ".join(cells) + " |\n"
    return head + body


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--full", action="store_true", help="also N = 3,000")
    p.add_argument("--sizes", type=int, nargs="*", help="page counts (default 100 1000, with --full 3000 too)")
    p.add_argument("--no-serve", action="store_true")
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--no-build", action="store_true", help="reuse sites already built under benchmarks/.work")
    a = p.parse_args(argv)
    sizes = a.sizes or ([100, 1000, 3000] if a.full else [100, 1000])
    OUT.mkdir(exist_ok=True)
    results: dict = {"machine": machine(), "builds": [], "serve": [], "validator": [], "browser": []}
    print(f"machine: {results['machine']}", flush=True)
    for n in sizes:
        out = WORK / f"n{n}"
        cfg = generate(n, out) if not a.no_build else out / "mkdocs.yml"
        if not a.no_build:
            runs = 3 if n <= 1000 else 2
            b = bench_build(n, cfg, runs)
            results["builds"].append(b)
            print(json.dumps(b), flush=True)
        v = bench_validator(out / "docs")
        v["n"] = n
        results["validator"].append(v)
        print(json.dumps(v), flush=True)
        if not a.no_serve and n <= 1000:
            stock = without_hook(cfg, "hooks/serve_dirty.py")
            for label, c, args in (("serve --dirty + hooks/serve_dirty.py (proposed)", cfg, SERVE_ARGS),
                                   # Stock --dirty aborts at once under strict: true (its own warning).
                                   ("serve --dirty --no-strict, stock", stock, SERVE_ARGS + ["--no-strict"]),
                                   ("serve (full rebuild)", cfg, [x for x in SERVE_ARGS if x != "--dirty"])):
                try:
                    s = bench_serve(n, c, args, label, edits=3 if "proposed" in label else 1)
                except RuntimeError as e:
                    s = {"label": label, "error": str(e)[-300:]}
                s["n"] = n
                s["edit_ok"] = f"{s.get('edit_nav_ok')}, {s.get('edit_search_ok')}"
                s["title_ok"] = f"{s.get('nav_ok')}, {s.get('search_ok')}"
                results["serve"].append(s)
                print(json.dumps(s), flush=True)
        if not a.no_browser:
            import browser
            # The same built site twice: with Material's stock worker (and no prebuilt index), and as built.
            site = out / "site"
            stock = stock_search_copy(site)
            for label, site in (("stock worker", stock), ("as built", site)):
                for r in browser.measure(site, n):
                    r["search"] = label
                    results["browser"].append(r)
                    print(json.dumps(r), flush=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    report(results)
    return 0


def report(results: dict) -> None:
    print("\n## Build (strict, whole process, medians)\n")
    print(table(results["builds"], [
        ("Pages", "n", "{:,}"), ("Runs", "runs", ""), ("Build s", "wall_s", "{:.1f}"),
        ("ms/page", "ms_per_page", "{:.1f}"), ("Peak RSS MiB", "rss_mib", "{:.0f}"),
        ("Site MB", "site_bytes", lambda_mb()), ("Site KB/page", "site_per_page_kb", "{:.0f}"),
        ("search_index.json MB", "index_bytes", lambda_mb()), ("gzip MB", "index_gz", lambda_mb()),
        ("lunr index MB", "lunr_bytes", lambda_mb()), ("gzip MB", "lunr_gz", lambda_mb()),
    ]))
    print("## Our hooks\n")
    print(table(results["builds"], [
        ("Pages", "n", "{:,}"), ("Inside hooks s", "hooks_inside_s", "{:.3f}"),
        ("% of build", "hooks_pct_inside", "{:.2f}"), ("% each run", "hooks_pct_each", "list"),
        ("GC pauses in hooks s", "gc_in_hooks_s", "{:.3f}"), ("GC pauses, build s", "gc_s", "{:.2f}"),
        ("Passes in one process: inside hooks s", "one_process_hooks_s", "{:.3f}"),
        ("% of build", "one_process_pct", "{:.2f}"), ("its build s", "one_process_wall_s", "{:.2f}"),
        ("its CPU s", "one_process_cpu_s", "{:.1f}"),
    ]))
    print(table(results["builds"], [
        ("Pages", "n", "{:,}"), ("Build with hooks s", "wall_s", "{:.2f}"),
        ("without s", "nohooks_wall_s", "{:.2f}"), ("A/B difference %", "hooks_pct_ab", "{:+.1f}"),
        ("only abbr_blocks s", "speed_only_wall_s", "{:.2f}"), ("A/B vs that %", "features_pct_ab", "{:+.1f}"),
        ("CPU s (incl. Node)", "cpu_s", "{:.1f}"), ("CPU vs that %", "features_pct_cpu", "{:+.1f}"),
    ]))
    for b in results["builds"]:
        print(f"- {b['n']}: " + ", ".join(f"{k} {v:.3f} s" for k, v in sorted(b["per_hook_s"].items())))
    print("\n## Validator\n")
    print(table(results["validator"], [("Pages", "n", "{:,}"), ("pages/s", "pages_per_s", "{:,.0f}"),
                                       ("source", "source", "")]))
    if results["serve"]:
        print("## Edit loop (`mkdocs serve`)\n")
        print(table(results["serve"], [
            ("Pages", "n", "{:,}"), ("Mode", "label", ""), ("Start s", "startup_s", "{:.1f}"),
            ("Edit visible s", "edit_s", "{:.2f}"), ("Nav, search right after edit", "edit_ok", ""),
            ("Title edit s", "title_edit_s", "{:.2f}"), ("Nav, search right after title edit", "title_ok", ""),
        ]))
    if results["browser"]:
        print("## Browser (Chromium)\n")
        print(table(results["browser"], [
            ("Pages", "n", "{:,}"), ("Search", "search", ""), ("Load avg", "load_avg", "{:.1f}"),
            ("Index fetched s", "index_fetched_s", "{:.2f}"), ("Load to first answer s", "first_answer_s", "{:.2f}"),
            ("Worker heap MiB", "worker_heap_mib", "{:.0f}"), ("First page KB", "first_kb", "{:.0f}"),
            ("Search files KB", "search_kb", "{:.0f}"), ("First page + search KB", "first_with_search_kb", "{:.0f}"),
            ("Second page KB", "second_kb", "{:.0f}"),
        ]))


class lambda_mb(str):
    """Format spec for bytes shown as MB."""

    def __new__(cls):
        return super().__new__(cls, "{:.2f}")

    def format(self, v):  # type: ignore[override]
        return f"{v / 1e6:.2f}"


if __name__ == "__main__":
    sys.exit(main())
