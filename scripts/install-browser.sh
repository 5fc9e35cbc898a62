#!/usr/bin/env bash
# Install the browser the end-to-end tests drive: Debian's Chromium, plus a CJK font so Chinese
# renders in screenshots instead of empty boxes. Idempotent and non-interactive; needs root.
# (Playwright's own `playwright install` download is not used: tests launch /usr/bin/chromium.)
set -euo pipefail

packages=(chromium fonts-noto-cjk)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" \
  || missing+=(fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
  echo "Browser present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Installing ${missing[*]} needs root (apt-get); run: sudo $0" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "Failed: $*" >&2; exit 1; }; }
echo "Installing ${missing[*]} with apt-get"
install() { apt-get install -y --no-install-recommends "${packages[@]}" >>"$log" 2>&1; }
# Refresh the package lists first when they are missing or older than a day, and again if the
# install fails on lists that have gone stale.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 -print -quit 2>/dev/null)" ]; then
  run apt-get update
fi
if ! install; then
  run apt-get update
  run install
fi
echo "Installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
