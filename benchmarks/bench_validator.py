"""Front matter validator speed, and what the front matter hook adds to a build.

    python benchmarks/bench_validator.py                 # 3,000-page validator run + 1,000-page build A/B
    python benchmarks/bench_validator.py DOCS            # validator over an existing folder only
    python benchmarks/bench_validator.py --no-build      # skip the builds
    python benchmarks/bench_validator.py --reps 1        # one build with and one without the hook

Validator: ``kb.frontmatter.validate.check`` in-process over N synthetic valid pages (written by
benchmarks/generate.py into a temporary folder), one warm-up then the median of three runs, printed
as pages/s beside the speed of bare ``yaml.load`` with PyYAML's C loader on the same blocks.

Build: a synthetic 1,000-page site under the project's config, built (``nice``, no ``--strict``,
review dates of synthetic pages may be overdue) with the project's hooks and with the same hooks
minus hooks/frontmatter.py, interleaved (with, without, without, with, …) to spread drift over both;
medians and the overhead in per cent.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from generate import TODAY, generate  # noqa: E402

from kb.frontmatter.validate import check  # noqa: E402

HOOK = "hooks/frontmatter.py"


def files_under(docs: Path) -> list[tuple[Path, str]]:
    return [(path, path.relative_to(docs.parent).as_posix()) for path in sorted(docs.rglob("*.md"))]


def bench_check(docs: Path, runs: int = 3) -> tuple[float, float, float, int, int, int]:
    """Median wall and CPU seconds of one check of every page, and bare YAML parsing for scale."""
    files = files_under(docs)
    check(files, today=TODAY)  # warm-up: imports, schema, caches
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = check(files, today=TODAY)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    blocks = []
    for path, _ in files:
        text = path.read_text(encoding="utf-8-sig")
        match = re.match(r"---\n(.*?\n)---\n", text, re.S)
        blocks.append(match.group(1) if match else "")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    yaml_s = []
    for _ in range(runs):
        start = time.process_time()
        for block in blocks:
            yaml.load(block, Loader=loader)
        yaml_s.append(time.process_time() - start)
    return (statistics.median(times), statistics.median(cpu), statistics.median(yaml_s), len(files),
            result.errors, result.warnings)


def hooks_of(config: Path) -> list[str]:
    """The ``hooks:`` list of the project's mkdocs.yml, read as text (it holds !ENV tags)."""
    hooks, inside = [], False
    for line in config.read_text(encoding="utf-8").splitlines():
        if re.match(r"hooks:\s*$", line):
            inside = True
        elif inside and (match := re.match(r"\s+-\s+(\S+)", line)):
            hooks.append(match.group(1))
        elif inside and line.strip() and not line.startswith((" ", "#")):
            break
    return hooks


def bench_build(pages: int, reps: int, work: Path, warmup: bool = True) -> dict[str, float]:
    config = generate(pages, work / f"site-{pages}")
    hooks = hooks_of(ROOT / "mkdocs.yml")
    variants = {}
    for name, chosen in (("with", hooks), ("without", [hook for hook in hooks if hook != HOOK])):
        variant = config.parent / f"mkdocs-{name}.yml"
        listed = "".join(f"  - {hook}\n" for hook in chosen) or "  []\n"
        variant.write_text(f"INHERIT: {config.name}\nstrict: false\nhooks:\n{listed}", encoding="utf-8")
        variants[name] = variant
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def run(name: str) -> tuple[float, float]:
        """Wall clock and CPU seconds (user + system, from the child's rusage) of one build."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(["nice", "-n", "10", sys.executable, "-m", "mkdocs", "build", "-q",
                               "-f", str(variants[name]), "-d", str(work / f"out-{name}")],
                              cwd=config.parent, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"build {name} the hook failed:\n{done.stderr[-2000:]}")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    if warmup:  # the first build pays for cold file caches and imports: measure neither variant with it
        run("without")
    wall: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    order = ["with", "without"]
    for rep in range(reps):
        for name in order if rep % 2 == 0 else order[::-1]:
            seconds, cpu_seconds = run(name)
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
    figures: dict = {}
    for kind, runs in (("wall", wall), ("cpu", cpu)):
        with_s, without_s = statistics.median(runs["with"]), statistics.median(runs["without"])
        figures[kind] = {"with": with_s, "without": without_s, "overhead": (with_s - without_s) / without_s * 100,
                         "runs_with": runs["with"], "runs_without": runs["without"]}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="?", type=Path, help="check this folder instead of synthetic pages")
    parser.add_argument("--pages", type=int, default=3000, help="synthetic pages for the validator (3000)")
    parser.add_argument("--build-pages", type=int, default=1000, help="pages of the built site (1000)")
    parser.add_argument("--reps", type=int, default=3, help="builds with and without the hook (3 each)")
    parser.add_argument("--no-build", action="store_true", help="skip the build comparison")
    parser.add_argument("--no-warmup", action="store_true", help="skip the unmeasured first build")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-frontmatter-") as tmp:
        work = Path(tmp)
        docs = args.docs or generate(args.pages, work / f"pages-{args.pages}").parent / "docs"
        seconds, cpu_s, yaml_s, count, errors, warnings = bench_check(docs)
        print(f"validator: {count / seconds:,.0f} pages/s wall clock ({count:,} pages in {seconds:.3f} s, "
              f"median of 3; {errors} errors, {warnings} warnings)")
        print(f"  CPU time: {count / cpu_s:,.0f} pages/s ({cpu_s:.3f} s of CPU; the gap to wall clock is "
              "other processes on the machine)")
        print(f"  for scale, yaml.load with {getattr(yaml, 'CSafeLoader', yaml.SafeLoader).__name__} alone "
              f"(reading no files, checking nothing): {count / yaml_s:,.0f} pages/s CPU time")
        if args.docs or args.no_build:
            return 0
        print(f"build at {args.build_pages:,} pages, {args.reps} interleaved runs each after "
              f"{'no' if args.no_warmup else 'one'} warm-up build (nice, not strict):")
        figures = bench_build(args.build_pages, args.reps, work, warmup=not args.no_warmup)
        for kind, label in (("wall", "wall clock"), ("cpu", "CPU time (user + system)")):
            numbers = figures[kind]
            print(f"  {label}: with the hook {numbers['with']:.2f} s, without {numbers['without']:.2f} s "
                  f"(medians; runs with: {', '.join(f'{s:.2f}' for s in numbers['runs_with'])}; without: "
                  f"{', '.join(f'{s:.2f}' for s in numbers['runs_without'])}); overhead {numbers['overhead']:+.1f} %")
        _, hook_cpu, *_ = bench_check(work / f"site-{args.build_pages}" / "docs")
        print(f"  the hook's own work (check of {args.build_pages:,} pages, in-process): {hook_cpu:.3f} s of CPU "
              f"= {hook_cpu / figures['cpu']['without'] * 100:.1f} % of the build's CPU time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
