#!/usr/bin/env bash
# Build the offline copy of the site into site-offline/ and package it as
# dist/ketamine-ptsd-offline.zip. It opens from disk (file://), search included, and asks no
# other host for anything: Material's offline plugin (OFFLINE=true) plus a local copy of the
# iframe-worker shim, installed from npm at the pinned version into .cache/ (hooks/offline.py).
#
# Usage: scripts/build-offline.sh [site-dir] [zip-path]
set -euo pipefail

IFRAME_WORKER_VERSION=1.0.4
# sha256 of shim/index.js in that version: a changed file stops the build.
IFRAME_WORKER_SHIM_SHA256=e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SITE_DIR="${1:-$ROOT/site-offline}"
ZIP_PATH="${2:-$ROOT/dist/ketamine-ptsd-offline.zip}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
CACHE="$ROOT/.cache/offline-npm"
SHIM="$CACHE/node_modules/iframe-worker/shim/index.js"

installed_version() {
  "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$CACHE/node_modules/iframe-worker/package.json" 2>/dev/null || true
}

if [ "$(installed_version)" != "$IFRAME_WORKER_VERSION" ] || [ ! -f "$SHIM" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is needed once to fetch iframe-worker@$IFRAME_WORKER_VERSION (Debian: apt-get install npm)" >&2
    exit 1
  fi
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-save --no-audit --no-fund --loglevel=error \
    "iframe-worker@$IFRAME_WORKER_VERSION"
fi

actual="$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$SHIM")"
if [ "$actual" != "$IFRAME_WORKER_SHIM_SHA256" ]; then
  echo "error: $SHIM has sha256 $actual, expected $IFRAME_WORKER_SHIM_SHA256 (iframe-worker@$IFRAME_WORKER_VERSION)" >&2
  exit 1
fi

cd "$ROOT"
OFFLINE=true IFRAME_WORKER_SHIM="$SHIM" NO_MKDOCS_2_WARNING=1 \
  "$PYTHON" -m mkdocs build --strict --site-dir "$SITE_DIR"

# The last check of the built copy: only the theme's reviewed inline scripts, and nothing a page or
# style sheet loads from another host (the copy has no Content-Security-Policy to stop it).
"$PYTHON" -m kb.html_safety --built "$SITE_DIR" --offline

# Zip under one top folder, with fixed timestamps so that the same site gives the same zip.
mkdir -p "$(dirname "$ZIP_PATH")"
"$PYTHON" - "$SITE_DIR" "$ZIP_PATH" <<'PY'
import pathlib, sys, zipfile
site, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
top = target.name.removesuffix(".zip")
tmp = target.with_suffix(".zip.tmp")
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        info = zipfile.ZipInfo(f"{top}/{path.relative_to(site).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
        zf.writestr(info, path.read_bytes())
tmp.replace(target)
print(f"{target}: {target.stat().st_size // 1024} KiB, open {top}/index.html")
PY
