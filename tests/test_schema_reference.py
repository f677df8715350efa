"""The generated contributor reference: every front matter key and problem code with its fix, the tag
vocabulary and the bibliography fields, as the built pages show them."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import re

import pytest
import yaml

from kb.frontmatter import reference as schema_reference
from kb.frontmatter.codes import CODES
from tests.support.helpers import DESCRIPTION, ROOT, visible_text


def plain(markdown: str) -> str:
    """Schema or code-table prose as it reads once rendered (code spans lose their backticks)."""
    return " ".join(markdown.replace("`", "").split())


def squeezed(text: str) -> str:
    """Without any whitespace: code spans are trimmed when rendered (`: ` becomes :)."""
    return re.sub(r"\s+", "", text)


def schema_keys(schema: dict, prefix: str = "") -> list[str]:
    found = []
    for name, spec in schema["properties"].items():
        found.append(prefix + name)
        if "properties" in spec:
            found += schema_keys(spec, prefix + name + ".")
    return found


def sections_by_id(page: str) -> dict[str, str]:
    """h3 id -> the visible text from that heading to the next h2/h3."""
    parts = re.split(r'(?=<h[23] (?:aria-label="[^"]*" )?id=")', page)
    return {m.group(1): visible_text(part) for part in parts
            if (m := re.match(r'<h3 (?:aria-label="[^"]*" )?id="([^"]+)"', part))}


@pytest.fixture(scope="module")
def reference_page(built_site: pathlib.Path) -> str:
    page = (built_site / "contributing" / "front-matter" / "index.html").read_text(encoding="utf-8")
    return page[page.index("<article"):page.index("</article>")]


def test_reference_lists_every_schema_key(reference_page: str) -> None:
    schema = json.loads((ROOT / "schema" / "frontmatter.schema.json").read_text(encoding="utf-8"))
    sections = sections_by_id(reference_page)
    keys = schema_keys(schema)
    assert len(keys) >= 12
    for key in keys:
        anchor = "key-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        assert anchor in sections, f"{key} has no section in the reference"
        text = sections[anchor]
        spec = schema
        for part in key.split("."):
            spec = spec["properties"][part]
        parent_required = schema.get("required", []) if "." not in key else []
        required = key in parent_required
        assert text.startswith(key), text[:80]
        assert f"Required: {'yes' if required else 'no'}" in text
        assert squeezed(plain(spec["description"])) in squeezed(text)
        if "default" in spec:
            default = spec["default"]
            shown = ("[" + ", ".join(default) + "]") if isinstance(default, list) else \
                json.dumps(default) if not isinstance(default, str) else default
            assert f"Default: {shown}" in text, text
        for value in spec.get("enum", []) + spec.get("items", {}).get("enum", []):
            assert value in text.split("Allowed values:")[1]
        if spec.get("examples"):
            assert "Example:" in text


BASE_FRONT_MATTER = {"title": "Sleep and nightmares", "description": DESCRIPTION, "tags": "[ptsd]",
                     "audience": "[patients]", "last_reviewed": "2026-11-27", "review_interval_months": "12"}


def test_reference_examples_pass_the_checks(tmp_path: pathlib.Path) -> None:
    """A contributor copies an example from the reference: it must be accepted as written (a date unquoted,
    also inside a list of entries such as changes or expires)."""
    from kb.frontmatter import validate

    schema = json.loads((ROOT / "schema" / "frontmatter.schema.json").read_text(encoding="utf-8"))
    files = []
    for key in schema_reference.keys(schema):
        snippet = schema_reference.example(key)
        if not snippet or key.name in ("template", "icon"):  # these name files of a theme: checked with a site
            continue
        top = key.name.split(".")[0]
        lines = [f"{name}: {value}" for name, value in BASE_FRONT_MATTER.items() if name != top]
        path = tmp_path / f"{key.name}.md"
        path.write_text("---\n" + "\n".join([*lines, snippet]).replace("title: Sleep and nightmares",
                        f"title: Example of {key.name}") + "\n---\n\n# Page\n", encoding="utf-8")
        files.append((path, path.name))
    assert any(name == "expires.md" for _, name in files)
    result = validate.check(files, today=dt.date(2026, 12, 6))
    assert [f"{p.path}:{p.line}: {p.code} {p.message}" for p in result.problems] == []


def test_reference_lists_every_problem_code_with_its_fix(reference_page: str) -> None:
    sections = sections_by_id(reference_page)
    assert len(CODES) >= 20
    for code in CODES:
        if code.severity not in ("error", "warning"):
            continue
        text = sections.get(code.code.lower())
        assert text, f"{code.code} is missing from the reference"
        assert text.startswith(f"{code.code}: {plain(code.title)}")
        assert f"Severity: {code.severity}" in text
        assert squeezed(plain(code.explanation)) in squeezed(text)
        assert squeezed(f"Fix: {plain(code.fix)}") in squeezed(text)


def test_reference_lists_the_tag_vocabulary(reference_page: str) -> None:
    tags = yaml.safe_load((ROOT / "data" / "tags.yml").read_text(encoding="utf-8"))
    table = reference_page[reference_page.index('id="tag-vocabulary"'):]
    for tag in tags:
        assert f"<code>{tag}</code>" in table
    assert schema_reference.MARKER not in reference_page and "&lt;!-- front-matter" not in reference_page


def test_citing_page_lists_every_bibliography_field(built_site: pathlib.Path) -> None:
    schema = json.loads((ROOT / "schema" / "references.schema.json").read_text(encoding="utf-8"))
    page = (built_site / "contributing" / "citing" / "index.html").read_text(encoding="utf-8")
    for field in schema["properties"]:
        assert re.search(rf"<td[^>]*><code>{field}</code></td>", page), field
    assert "references-fields" not in page


def test_reference_renderer_escapes_html_and_lists_retired_codes() -> None:
    """Plain Python, no MkDocs: schema prose is escaped, dates are shown unquoted, retired codes are kept apart."""
    from kb.frontmatter.codes import Code
    schema = {
        "description": "Front matter <script>alert(1)</script> for `<b>` pages.",
        "required": ["when"],
        "properties": {
            "when": {"description": "A date.", "type": "string", "format": "date", "examples": ["2026-01-31"]},
            "kind": {"description": "Kind_of page *here*.", "enum": ["a", "b"], "default": "a"},
            "extra": {"type": "object", "properties": {"depth": {"type": "integer", "minimum": 1, "maximum": 3}}},
        },
    }
    codes = [Code("FM900", "x", "error", "Live code", "Why.", "Do this."),
             Code("FM901", "y", "retired", "Old code", "Gone.", "Nothing.")]
    markdown = schema_reference.render(schema, codes, {"ptsd": "PTSD pages"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown and "<script>" not in markdown
    assert "`<b>`" in markdown  # code spans are left for Markdown to escape
    assert "Kind\\_of page \\*here\\*." in markdown
    assert "    when: 2026-01-31" in markdown and "'2026-01-31'" not in markdown
    assert "### `extra.depth` {#key-extra-depth}" in markdown and "1 to 3" in markdown
    assert "| [`when`](#key-when) | **required** |" in markdown and "| [`kind`](#key-kind) | optional |" in markdown
    assert "### FM900: Live code {#fm900}" in markdown and "### FM901" not in markdown
    assert "- FM901: Old code" in markdown.split("### Retired codes")[1]
    assert "| `ptsd` | PTSD pages |" in markdown


def test_reference_extension_says_when_a_schema_cannot_be_read(tmp_path: pathlib.Path) -> None:
    import markdown

    from kb.frontmatter.extension import SchemaReferenceExtension

    html = markdown.markdown("# Front matter reference\n\n<!-- front-matter-reference -->\n",
                             extensions=["admonition", SchemaReferenceExtension(root=str(tmp_path))])
    assert 'class="admonition failure"' in html and "schema/frontmatter.schema.json" in html
    untouched = markdown.markdown("# Home\n", extensions=[SchemaReferenceExtension(root=str(ROOT))])
    assert untouched == "<h1>Home</h1>"
