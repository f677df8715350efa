#!/usr/bin/env bash
# Regenerate kb/csp-theme-scripts.txt, the reviewed list of the theme's inline scripts that the
# Content-Security-Policy allows (kb/html_safety/csp.py). Run after upgrading Material or changing its
# configuration in mkdocs.yml, then review `git diff kb/csp-theme-scripts.txt`.
#
# It builds the site's configuration (theme, plugins, extensions) over empty pages at depths 0 to 4,
# without the hooks, so every inline script in the output is the theme's, and prints them.
#
# Usage: scripts/csp-theme-scripts.sh [output] (default: kb/csp-theme-scripts.txt)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$(realpath -m "${1:-$ROOT/kb/csp-theme-scripts.txt}")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/docs/a/b/c/d"
nav=""
for page in index.md a/index.md a/b/index.md a/b/c/index.md a/b/c/d/index.md a/page.md; do
  printf -- '---\ntitle: Empty\n---\n\n# Empty\n' > "$WORK/docs/$page"
  nav="$nav  - $page"$'\n'
done
cat > "$WORK/mkdocs.yml" <<YML
INHERIT: $ROOT/mkdocs.yml
docs_dir: $WORK/docs
theme:
  custom_dir: $ROOT/overrides
hooks: []
nav:
$nav
YML
cd "$ROOT"
NO_MKDOCS_2_WARNING=1 "$PYTHON" -m mkdocs build -q --config-file "$WORK/mkdocs.yml" --site-dir "$WORK/site"
"$PYTHON" -m kb.html_safety --theme-scripts "$WORK/site" > "$OUT"
echo "$OUT: $(grep -vc '^#' "$OUT") scripts; review: git diff kb/csp-theme-scripts.txt"
