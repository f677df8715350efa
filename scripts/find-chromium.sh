#!/usr/bin/env bash
# Print the path of a Chromium the browser tests can drive: $CHROMIUM, /usr/bin/chromium,
# or Debian's chromium package installed with apt-get when running as root.
# Never downloads a browser build of its own.
set -euo pipefail
for candidate in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium package for the browser tests ..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq chromium >&2
  if [ -x /usr/bin/chromium ]; then
    echo /usr/bin/chromium
    exit 0
  fi
fi
cat >&2 <<'MSG'
error: no Chromium found for the browser tests.
  Debian/Ubuntu: sudo apt-get install chromium   (Ubuntu: the chromium snap or chromium-browser)
  or point CHROMIUM at a Chromium or Chrome binary: make test CHROMIUM=/path/to/chromium
MSG
exit 1
