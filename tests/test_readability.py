"""Readability: what counts as patient-facing text, the grades textstat gives, and the command line."""
from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

from kb import readability
from tests.support.helpers import with_front_matter

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
    | Cells count | as text |

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
    """Tables are read by patients too: each cell counts as a sentence of its own."""
    assert readability.patient_text(PAGE).splitlines() == [
        "What is PTSD?",
        "Key points.",
        "PTSD can start after a very scary event.",
        "Help works.",
        "Some people feel on edge for a long time. See the guide or It is common, eg about 61 in 100 people.",
        "Table.",
        "cell words.",
        "Cells count.",
        "as text.",
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


def run(module: str, project: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, str(project), *args], capture_output=True, text=True)


def reader_page(text: str, audience: str = "[patients, families]") -> str:
    return with_front_matter(text).replace("audience: [clinicians]", f"audience: {audience}")


EASY = "# Easy page\n\n" + "The cat sat on the mat. We had fun in the sun. " * 10
HARD = "# Hard page\n\n" + ("Pharmacological antagonism precipitates neuroplasticity-associated intracellular "
                             "signalling cascades notwithstanding interindividual heterogeneity. ") * 10


@pytest.fixture
def project(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: Readability test\n", encoding="utf-8")
    (tmp_path / "docs" / "easy.md").write_text(reader_page(EASY), encoding="utf-8")
    (tmp_path / "docs" / "easy-two.md").write_text(reader_page(EASY.replace("Easy page", "Easy again")))
    (tmp_path / "docs" / "sub" / "hard.md").write_text(reader_page(HARD), encoding="utf-8")
    (tmp_path / "docs" / "short.md").write_text(reader_page("# Short\n\nHi.\n"), encoding="utf-8")
    (tmp_path / "docs" / "technical.md").write_text(reader_page(HARD.replace("Hard page", "For contributors"),
                                                                "[contributors]"), encoding="utf-8")
    return tmp_path


def test_report_lists_each_reader_page(project: pathlib.Path) -> None:
    result = run("kb.readability", project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["page", "words", "grade"]
    assert [line.split()[0] for line in lines[1:-1]] == ["docs/easy-two.md", "docs/easy.md", "docs/short.md",
                                                         "docs/sub/hard.md"], "pages for contributors are not graded"
    assert lines[3].split()[1:] == ["2", "-"]
    assert lines[-1].startswith("median grade: ")
    report = json.loads(run("kb.readability", project, "--format", "json").stdout)
    easy, _, short, hard = report["pages"]
    assert short["grade"] is None and easy["grade"] < 8 < 10 < hard["grade"]


def test_a_reader_page_above_grade_10_fails_the_check(project: pathlib.Path) -> None:
    result = run("kb.check", project, "--only", "readability")
    assert result.returncode == 1
    assert re.search(r"^docs/sub/hard\.md:1:1: RDB002 error: the patient-facing text reads at grade \d+\.\d, above 10",
                     result.stdout, re.M), result.stdout
    assert "RDB001" not in result.stdout, "two easy pages and one hard: the median is fine"


def test_the_median_above_8_fails_the_check(project: pathlib.Path) -> None:
    (project / "docs" / "easy-two.md").unlink()
    (project / "docs" / "hard-two.md").write_text(reader_page(HARD.replace("Hard page", "Hard again")))
    result = run("kb.check", project, "--only", "readability")
    assert result.returncode == 1 and "docs:1:1: RDB001 error: the median grade of the reader pages is" in result.stdout


def test_easy_pages_pass(project: pathlib.Path) -> None:
    (project / "docs" / "sub" / "hard.md").unlink()
    result = run("kb.check", project, "--only", "readability")
    assert result.returncode == 0 and "readability: 2 reader pages graded, no problems" in result.stdout


def test_cli_bad_usage() -> None:
    assert run("kb.readability", pathlib.Path("/nonexistent")).returncode == 2
