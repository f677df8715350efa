#!/usr/bin/env bash
# Whitespace of every tracked text file, with the fixers of pre-commit-hooks (pinned in
# requirements-test.txt), the same the pre-commit hooks run: trailing spaces or tabs, a missing
# newline or blank lines at the end of a file, Windows (CRLF) line ends.
#   scripts/whitespace.sh        check: names the files to fix and fails; changes nothing (make lint, CI)
#   scripts/whitespace.sh --fix  fixes them in place (make fix)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
case $venv in /*) ;; *) venv=$PWD/$venv ;; esac
# Left alone, as in .pre-commit-config.yaml: build output, test fixtures (their bad whitespace is the
# point), minified and generated files.
exclude='^(site|site-offline|dist|node_modules|tests/fixtures)/|\.min\.(js|css)$|\.svg$|^package-lock\.json$'

files=()
while IFS= read -r -d '' file; do
  # Text files only: grep -I skips binary files; an empty file has nothing to fix.
  if [ -f "$file" ] && grep -Iq '' "$file"; then files+=("$file"); fi
done < <(git ls-files -z | grep -zEv "$exclude")
[ ${#files[@]} -gt 0 ] || exit 0

if [ "${1:-}" = --fix ]; then
  work=$PWD
else  # fix copies, so the check reports without changing a file
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp --parents -- "${files[@]}" "$work"
fi
status=0
fixer() {  # exit status 1: the fixer changed a file; anything else but 0: it could not run
  "$venv/bin/$1" "${@:2}" -- "${files[@]}" && return 0
  local code=$?
  [ "$code" = 1 ] || exit "$code"
  status=1
}
cd "$work"
fixer trailing-whitespace-fixer
fixer end-of-file-fixer
fixer mixed-line-ending --fix=lf
if [ "${1:-}" = --fix ]; then exit 0; fi
if [ "$status" != 0 ]; then
  echo "whitespace: the files above have trailing spaces, a missing or extra newline at the end, or CRLF" \
    "line ends; run make fix (or commit with the pre-commit hooks installed) to fix them" >&2
fi
exit "$status"
