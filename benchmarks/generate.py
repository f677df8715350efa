"""Write a synthetic knowledge base of N pages for benchmarks.

    python benchmarks/generate.py N OUTDIR [--seed S]

OUTDIR/mkdocs.yml inherits the project's mkdocs.yml (``INHERIT:``, absolute path) and overrides
only ``docs_dir`` and ``nav``. The project's hooks, theme overrides, data files and includes are
copied into OUTDIR (copies, not links: the checks refuse symbolic links in content folders), so
every relative path of the real config resolves there. Build it with ``cd OUTDIR && mkdocs build``
(the Markdown extensions read their files from the working folder).

OUTDIR/docs holds N pages (one home page, the real bibliography page, one index page per section of
50 pages, the rest topic pages; sections spread over six tabs) of
about 600 words each: varied prose, a table, admonitions, ``[@key]`` citations with keys read from
data/references.yml at generation time, tags from data/tags.yml and front matter valid under the
project's contract (unique title, 50-160 character description, a past ``last_reviewed``).
Non-Markdown files of the real docs/ (stylesheets, scripts, images) are copied so ``extra_css``
and ``extra_javascript`` keep working.

Importers: ``generate(n, out) -> Path`` returns the path of the generated mkdocs.yml.
Output is deterministic for a given (n, seed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("hooks", "overrides", "data", "includes", "schema")
PAGES_PER_SECTION = 50
# Real pages copied as they are: the citations extension fills the bibliography page from data/.
EXTRA_PAGES = ["reference/references.md"]
TODAY = dt.date(2026, 11, 27)

SUBJECTS = [
    "ketamine", "esketamine", "trauma-focused therapy", "prolonged exposure", "cognitive processing therapy",
    "EMDR", "sertraline", "paroxetine", "venlafaxine", "a single infusion", "a course of six infusions",
    "the placebo group", "midazolam", "the control condition", "group therapy", "sleep", "hyperarousal",
    "avoidance", "intrusive memories", "nightmares", "the brain's glutamate system", "NMDA receptors",
    "synaptic plasticity", "dissociation", "blood pressure", "bladder symptoms", "veterans", "civilians",
    "first responders", "family members", "primary care", "a specialist clinic", "the trial team",
]
VERBS = [
    "may reduce", "did not clearly change", "was linked with", "is often confused with", "appears to affect",
    "was compared with", "is being studied alongside", "can worsen", "seemed to ease", "needs more research on",
    "is monitored together with", "rarely replaces", "was measured against", "is sometimes combined with",
]
OBJECTS = [
    "symptom scores after two weeks", "the CAPS-5 total", "sleep quality", "daily functioning",
    "the risk of relapse", "short-term dissociation", "mood on the following day", "suicidal thoughts",
    "how long benefits last", "side effects such as nausea", "drop-out from treatment", "quality of life",
    "memory and attention", "heart rate during the session", "the need for other medicines",
    "the number of follow-up visits", "the strength of the evidence", "access to trauma-focused care",
]
QUALIFIERS = [
    "in small trials", "over a few weeks", "in most studies so far", "in one randomised trial",
    "according to current guidelines", "for some people", "when used under medical supervision",
    "in people who had not improved with other treatments", "in the short term", "after several months",
    "with wide uncertainty", "compared with an active placebo", "in observational data",
]
OPENERS = [
    "Researchers report that", "It is worth knowing that", "In plain terms,", "So far,", "On balance,",
    "Several reviews note that", "Clinicians point out that", "People often ask whether", "Put simply,",
    "The evidence suggests that", "One caution is that", "Families sometimes hear that",
]
HEADINGS = [
    "What the studies show", "How this compares", "What it means for you", "Open questions",
    "Risks and side effects", "Who might benefit", "How long effects last", "Practical points",
    "Background", "What happens during treatment", "Common misunderstandings", "Where the evidence is weak",
]
TOPICS = [
    "symptoms", "infusions", "nasal spray", "trial design", "placebo effects", "relapse", "sleep problems",
    "dissociation", "blood pressure", "combined therapy", "veterans", "children and teenagers", "costs",
    "follow-up care", "outcome measures", "guideline advice", "side effects", "dependence risk",
    "depression overlap", "suicidal thoughts", "memory", "trauma processing", "brain imaging", "dosing in trials",
]
ASPECTS = [
    "an overview", "the evidence", "common questions", "what to expect", "risks", "for families",
    "for clinicians", "myths and facts", "recent trials", "long-term outlook",
]
GROUPS_PER_TAB = 6
TABS = ["Understanding PTSD", "Treatments", "Ketamine", "Evidence", "Living with PTSD", "About"]
DESCRIPTIONS = [
    "What research on ketamine and PTSD says about this, in plain language.",
    "A plain-language summary of the evidence, its limits and what to ask a doctor.",
    "Key findings, open questions and practical points for patients and families.",
    "How the studies were done, what they found and how sure we can be.",
]
ADMONITIONS = [
    ("note", "Good to know"), ("tip", "Talking to your doctor"), ("info", "About the numbers"),
    ("warning", "Be careful"), ("question", "Still unsure?"),
]


def _load_keys(path: Path) -> list[str]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return sorted(k for k in data if isinstance(k, str)) if isinstance(data, dict) else []


def _sentence(rng: random.Random, keys: list[str], cite_rate: float = 0.25) -> str:
    s = " ".join(rng.choice(words) for words in (OPENERS, SUBJECTS, VERBS, OBJECTS, QUALIFIERS))
    if keys and rng.random() < cite_rate:
        cited = rng.sample(keys, k=min(len(keys), rng.choice((1, 1, 2))))
        s += " [" + "; ".join(f"@{k}" for k in cited) + "]"
    return s + "."


def _paragraph(rng: random.Random, keys: list[str], n: int) -> str:
    return " ".join(_sentence(rng, keys) for _ in range(n))


def _description(title: str, rng: random.Random) -> str:
    text = f"{title}. {rng.choice(DESCRIPTIONS)}"
    if len(text) > 160:
        text = text[:157].rstrip() + "..."
    while len(text) < 50:
        text += " More detail inside."
    return text


def _page(rng: random.Random, title: str, tags: list[str], keys: list[str], links: list[tuple[str, str]],
          reviewed: dt.date, boost: bool, must_cite: list[str]) -> str:
    fm: dict = {
        "title": title,
        "description": _description(title, rng),
        "tags": tags,
        "audience": ["clinicians"],  # random prose: not held to the reading-level targets
        "review_interval_months": 12,
        "last_reviewed": reviewed,
    }
    if boost:
        fm["search"] = {"boost": 2}
    out = ["---", yaml.safe_dump(fm, sort_keys=False, allow_unicode=True).strip(), "---", "", f"# {title}", ""]
    out += ['!!! abstract "Key points"', ""]
    out += [f"    - {_sentence(rng, [], 0)}" for _ in range(rng.randint(3, 5))]
    out.append("")
    out += [_paragraph(rng, keys, 4), ""]
    headings = rng.sample(HEADINGS, 3)
    out += [f"## {headings[0]}", "", _paragraph(rng, keys, 5), "", _paragraph(rng, keys, 4), ""]
    kind, label = rng.choice(ADMONITIONS)
    out += [f'!!! {kind} "{label}"', "", "    " + _paragraph(rng, [], 2), ""]
    out += [f"## {headings[1]}", "", _paragraph(rng, keys, 3), ""]
    out += ["| Study | People | Follow-up | Main finding |", "|---|---|---|---|"]
    for _ in range(rng.randint(3, 5)):
        out.append(f"| Trial {rng.randint(1, 99)} | {rng.randint(12, 400)} | {rng.choice((1, 2, 4, 8, 12))} weeks "
                   f"| {rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} |")
    out.append("")
    if links:
        out.append("See also: " + ", ".join(f"[{t}]({href})" for t, href in links) + ".")
        out.append("")
    out += [f"## {headings[2]}", "", _paragraph(rng, keys, 4), ""]
    out += [f"## For clinicians: {rng.choice(TOPICS)}", "", _paragraph(rng, keys, 4), ""]
    if must_cite:  # every bibliography entry is cited somewhere (the citation hook warns otherwise)
        out += ["Further sources on this topic [" + "; ".join(f"@{k}" for k in must_cite) + "].", ""]
    return "\n".join(out)


def _copy(out: Path, name: str) -> None:
    source, copy = ROOT / name, out / name
    if copy.is_symlink() or copy.is_file():
        copy.unlink()
    elif copy.exists():
        shutil.rmtree(copy)
    if source.is_dir():
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))


def generate(n: int, out: Path, seed: int = 8) -> Path:
    """Write an n-page synthetic site to ``out``; return the path of its mkdocs.yml."""
    if n < 4:
        raise ValueError("n must be at least 4 (home, bibliography and a section of two pages)")
    out = Path(out).resolve()
    rng = random.Random(seed)
    tags_vocab = sorted((yaml.safe_load((ROOT / "data/tags.yml").read_text(encoding="utf-8")) or {}).keys())
    keys = _load_keys(ROOT / "data/references.yml")

    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    for name in COPIED:
        _copy(out, name)
    for src in (ROOT / "docs").rglob("*"):
        if src.is_file() and src.suffix != ".md":
            dst = docs / src.relative_to(ROOT / "docs")
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)

    # Plan: page 0 is the home page, then the real bibliography page (the citation hook fills it;
    # it needs no other page); the rest are split into sections of PAGES_PER_SECTION, each
    # section starting with its index page.
    extra = [p for p in EXTRA_PAGES if (ROOT / "docs" / p).exists()]
    rest = n - 1 - len(extra)
    sections: list[list[str]] = []
    count = 0
    while count < rest:
        size = min(PAGES_PER_SECTION, rest - count)
        s = len(sections) + 1
        sections.append([f"s{s:03d}/index.md"] + [f"s{s:03d}/p{i:03d}.md" for i in range(1, size)])
        count += size

    titles: dict[str, str] = {"index.md": "Synthetic knowledge base"}
    for si, pages in enumerate(sections, 1):
        titles[pages[0]] = f"Section {si}: {TOPICS[(si - 1) % len(TOPICS)]}"
        for pi, path in enumerate(pages[1:], 1):
            titles[path] = f"{TOPICS[(si + pi) % len(TOPICS)].capitalize()} {si}.{pi}: {ASPECTS[pi % len(ASPECTS)]}"
    all_pages = list(titles)

    def rel(src: str, dst: str) -> str:
        return os.path.relpath(dst, os.path.dirname(src) or ".").replace(os.sep, "/")

    for i, path in enumerate(all_pages):
        others = rng.sample(all_pages, k=min(3, len(all_pages)))
        links = [(titles[o], rel(path, o)) for o in others if o != path][:2]
        reviewed = TODAY - dt.timedelta(days=rng.randint(1, 330))  # none overdue
        page_tags = rng.sample(tags_vocab, k=min(len(tags_vocab), rng.randint(1, 3))) if tags_vocab else []
        text = _page(rng, titles[path], page_tags, keys, links, reviewed, boost=(i % 17 == 0),
                     must_cite=keys[i::len(all_pages)])
        dst = docs / path
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8")

    # Six tabs, as on the real site; in each tab up to six sections (shown expanded, as
    # navigation.sections does), each grouping collapsed blocks of 50 pages. A growing site gets
    # deeper, not wider, so with navigation.prune every page's sidebar stays about the same size:
    # one tab per block would put 60 tabs on every page at 3,000 pages, and blocks directly under
    # a tab would list every page of the tab in each sidebar.
    nav: list = [{"Home": "index.md"}]
    per_tab = -(-len(sections) // len(TABS))
    per_group = -(-per_tab // GROUPS_PER_TAB)
    for ti, tab in enumerate(TABS):
        blocks = list(enumerate(sections, 1))[ti * per_tab:(ti + 1) * per_tab]
        groups = [blocks[g:g + per_group] for g in range(0, len(blocks), per_group)]
        if groups:
            nav.append({tab: [{f"Topics {chunk[0][0]}-{chunk[-1][0]}" if len(chunk) > 1 else f"Topics {chunk[0][0]}":
                               [{f"Section {si}": pages} for si, pages in chunk]} for chunk in groups]})
    for path in extra:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "docs" / path, docs / path)
    if extra:
        nav.append({"Reference": extra})
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_name": f"Synthetic knowledge base ({n} pages)",
        "docs_dir": "docs",
        "nav": nav,
    }
    cfg = out / "mkdocs.yml"
    header = f"# Generated by benchmarks/generate.py ({n} pages, seed {seed}); inherits the project's config.\n"
    cfg.write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return cfg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic N-page site that uses the project's config.")
    parser.add_argument("n", type=int, help="number of pages (at least 4)")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    try:
        cfg = generate(args.n, args.outdir, args.seed)
    except (ValueError, OSError) as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 2
    print(cfg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
