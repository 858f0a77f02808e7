#!/usr/bin/env bash
# Debian packages VolNet needs beyond Python. Installs what is missing when it can (root + apt-get),
# otherwise says exactly what to install. Usage: system-deps.sh run|test
set -u
purpose=${1:-run}

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# The record-book PDF embeds AR PL UMing (Taiwan glyph forms, ReportLab can read its TrueType outlines).
have_pkg fonts-arphic-uming || need+=(fonts-arphic-uming)
# CNS 11643 全字庫 TW-Sung: the record book's fallback for rare name characters UMing lacks (CJK Ext. B).
have_pkg fonts-cns11643-sung || need+=(fonts-cns11643-sung)
# msgfmt compiles the English catalogues (locale/*/django.po) that `make` turns into .mo files.
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "$purpose" = test ]; then
  have_pkg chromium || need+=(chromium)           # browser tests (Playwright drives Debian's Chromium)
  have_pkg poppler-utils || need+=(poppler-utils) # pdftoppm renders PDF pages in tests
  # LibreOffice opens our .ods/.xlsx downloads and saves the files the import tests upload
  have_pkg libreoffice-calc-nogui || need+=(libreoffice-calc-nogui)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the real broker of the Celery worker tests
  # initdb, pg_ctl, pg_basebackup: the replica tests run a primary and a streaming replica of their own
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || need+=(postgresql)
fi
if [ "$purpose" = bench ]; then
  have_pkg wrk || need+=(wrk)                   # HTTP load for page benchmarks
fi

[ ${#need[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  if apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install: ${need[*]}" >&2
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
  sudo apt-get install -y --no-install-recommends "${need[@]}" && exit 0
fi
echo "缺少系統套件 Missing system packages: ${need[*]}" >&2
echo "請執行 Please run: sudo apt-get install ${need[*]}" >&2
exit 1
