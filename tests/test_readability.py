"""Readability: what counts as patient-facing text, the grades textstat gives, and the command line."""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from kb import readability

PAGE = textwrap.dedent("""\
    ---
    title: A page
    description: Front matter words must not count.
    ---

    # What is PTSD?

    !!! abstract "Key points"
        - PTSD can start after a very scary event [@pai2017].
        - Help works

    Some people feel on edge for a long time. See the [guide](https://example.org/guide) or https://example.org.
    It is common, e.g. about 6.1 in 100 people.

    | Table | cell words |
    |---|---|
    | hidden | hidden |

    ```python
    code_words = "hidden"
    ```

    <div markdown>Inner text stays.</div>

    ??? info "For clinicians: trial data"
        Hidden clinician block with pharmacokinetics.

    ## For clinicians: effect sizes

    Hidden standardised mean difference text.

    ### Hidden subsection

    Still hidden.

    ## Getting help

    Talk to your doctor.

    !!! info "For clinicians"
        Also hidden.

    Back to patient text. `inline code` gone.

    *[PTSD]: Post-traumatic stress disorder
    """)


def test_patient_text_keeps_prose_and_drops_everything_else() -> None:
    assert readability.patient_text(PAGE).splitlines() == [
        "What is PTSD?",
        "Key points.",
        "PTSD can start after a very scary event.",
        "Help works.",
        "Some people feel on edge for a long time. See the guide or It is common, eg about 61 in 100 people.",
        "Inner text stays.",
        "Getting help.",
        "Talk to your doctor.",
        "Back to patient text. gone.",
    ]


def test_grades_follow_text_difficulty() -> None:
    easy = "The cat sat on the mat. The dog ran to the park. We all had fun in the sun today. " * 5
    hard = ("Pharmacological antagonism of ionotropic glutamatergic receptors precipitates "
            "neuroplasticity-associated intracellular signalling cascades, notwithstanding "
            "considerable interindividual heterogeneity in psychotomimetic manifestations. ") * 5
    words_easy, grade_easy = readability.grade(easy)
    _, grade_hard = readability.grade(hard)
    assert words_easy == 100
    assert grade_easy is not None and grade_easy < 3
    assert grade_hard is not None and grade_hard > 16
    assert readability.grade("Too short to grade.") == (4, None)


def run_cli(docs: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb.readability", str(docs), *args], capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def docs(tmp_path: pathlib.Path) -> pathlib.Path:
    easy = "# Easy\n\n" + "The cat sat on the mat. We had fun in the sun. " * 10
    hard = "# Hard\n\n" + ("Pharmacological antagonism precipitates neuroplasticity-associated intracellular "
                           "signalling cascades notwithstanding interindividual heterogeneity. ") * 10
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "easy.md").write_text(easy, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "hard.md").write_text(hard, encoding="utf-8")
    (tmp_path / "docs" / "short.md").write_text("# Short\n\nHi.\n", encoding="utf-8")
    return tmp_path / "docs"


def test_cli_reports_each_page_and_fails_when_the_median_is_too_high(docs: pathlib.Path) -> None:
    result = run_cli(docs)
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["page", "words", "grade"]
    assert [line.split()[0].removeprefix(str(docs)) for line in lines[1:4]] == ["/easy.md", "/short.md", "/sub/hard.md"]
    assert lines[2].split()[1:] == ["2", "-"]
    assert lines[-1].startswith("median grade: ")
    assert "above 8" in result.stderr
    assert run_cli(docs, "--report-only").returncode == 0
    assert run_cli(docs, "--target", "30").returncode == 0
    report = json.loads(run_cli(docs, "--format", "json", "--report-only").stdout)
    easy, short, hard = report["pages"]
    assert report["median"] == round((easy["grade"] + hard["grade"]) / 2, 1)
    assert short["grade"] is None and easy["grade"] < 8 < hard["grade"]


def test_cli_passes_with_easy_pages(docs: pathlib.Path) -> None:
    (docs / "sub" / "hard.md").unlink()
    assert run_cli(docs).returncode == 0


def test_cli_bad_usage() -> None:
    assert run_cli(pathlib.Path("/nonexistent")).returncode == 2
