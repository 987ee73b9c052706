#!/usr/bin/env bash
# Sets up everything perftrack needs on a fresh Linux machine, and is quick when nothing changed:
#   - a virtual environment in .venv with perftrack and its test tools (pip install -e .[dev]);
#   - on Debian/Ubuntu as root: a Chinese font (Qt and matplotlib draw empty boxes without one)
#     and the two xcb libraries Qt needs for a real window.
#   - with --test, also what the tests drive: poppler-utils (pdftotext/pdffonts read the PDFs back),
#     LibreOffice Calc (renders the exported workbook) and Writer (prints Word forms to PDF for the
#     PDF importer's tests), and the PostgreSQL server the store tests also run on (a private
#     cluster each run: Debian's own one is not used).
# Used by `make run` and `make test`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
stamp=.venv/.perftrack-installed

need_debs=()
for_tests=0
[[ ${1:-} == "--test" ]] && for_tests=1
if command -v dpkg >/dev/null 2>&1; then
  if ((for_tests)); then
    for p in poppler-utils libreoffice-calc libreoffice-writer postgresql; do
      dpkg -s "$p" >/dev/null 2>&1 || need_debs+=("$p")
    done
  fi
  fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|source han|microsoft yahei|simhei' \
    || need_debs+=(fonts-wqy-microhei)
  for p in libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libfontconfig1; do
    dpkg -s "$p" >/dev/null 2>&1 || need_debs+=("$p")
  done
fi
if ((${#need_debs[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing ${need_debs[*]}" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_debs[@]}") >/dev/null \
      || echo "bootstrap: could not install ${need_debs[*]}; Chinese text may show as boxes" >&2
  else
    echo "bootstrap: please install ${need_debs[*]} (needs root); Chinese text may show as boxes" >&2
  fi
fi

if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  # matplotlib caches its font list: a font installed above is only seen after the cache goes.
  rm -rf "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"
  touch "$stamp"
fi
