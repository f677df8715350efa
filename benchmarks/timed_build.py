"""One `mkdocs build` with every project hook's event functions timed from the inside.

    python benchmarks/timed_build.py CONFIG SITE_DIR

Loads CONFIG like `mkdocs build --strict` does, wraps each function that a hook listed under
`hooks:` registered for an MkDocs event, builds, and prints one JSON line:
{"build_s": ..., "hooks_s": {"hooks/x.py": seconds, ...}, "calls": {...}, "gc_s": ..., "gc_in_hooks_s": ...}.
gc_s is the time Python's garbage collector paused the build; gc_in_hooks_s the part of it that
fell inside the hooks (counted in hooks_s too). A collection runs when allocations since the last
one pass a threshold, in whatever code allocates then, and a full one walks the whole heap (every
page of the site): which hook it falls in is chance.
Exit status 1 (and the error on stderr) when the build fails.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import sys
import time
from collections import defaultdict

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


def main(config_file: str, site_dir: str) -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    try:
        cfg = load_config(config_file=config_file, site_dir=site_dir, strict=True)
    except MkDocsException as e:
        print(f"config error: {e}", file=sys.stderr)
        return 1
    hook_names = set(cfg.hooks or {})
    collector = {"s": 0.0, "in_hooks_s": 0.0, "started": 0.0}
    inside = [False]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            collector["started"] = time.perf_counter()
            return
        paused = time.perf_counter() - collector["started"]
        collector["s"] += paused
        if inside[0]:
            collector["in_hooks_s"] += paused

    gc.callbacks.append(on_gc)

    def wrap(fn, key):
        def timed(*args, **kwargs):
            t = time.perf_counter()
            inside[0] = True
            try:
                return fn(*args, **kwargs)
            finally:
                inside[0] = False
                spent[key] += time.perf_counter() - t
                calls[key] += 1
        return timed

    for event, methods in cfg.plugins.events.items():
        for i, fn in enumerate(methods):
            module = getattr(fn, "__module__", None)
            if module in hook_names:
                methods[i] = wrap(fn, module)
    t0 = time.perf_counter()
    try:
        build(cfg)
    except (MkDocsException, SystemExit) as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    build_s = time.perf_counter() - t0
    print(json.dumps({"build_s": build_s, "hooks_s": dict(spent), "calls": dict(calls),
                      "gc_s": collector["s"], "gc_in_hooks_s": collector["in_hooks_s"]}))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main(sys.argv[1], sys.argv[2]))
