#!/usr/bin/env bash
# Create or refresh .venv from the pinned requirements, with the kb package installed editable. Called by the Makefile when
# .venv is missing or a requirements file is newer than the last install.
set -euo pipefail
venv=${1:-.venv}
python=${PYTHON:-python3}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found. Install Python 3.11 or newer (Debian/Ubuntu: sudo apt-get install python3 python3-venv)." >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: $("$python" --version 2>&1) is too old; Python 3.11 or newer is needed." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    # Debian and Ubuntu ship venv support separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's python3-venv ..." >&2
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv "$venv"
    else
      echo "error: could not create $venv. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-test.txt -c constraints.txt
# The kb package itself (checks, Markdown extensions), editable: hooks and commands import it. Its
# dependencies (pyproject.toml) are installed by now, so pip checks them against the pins and fetches nothing.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e . -c constraints.txt
touch "$venv/.installed"
