#!/usr/bin/env bash
# Build perftrack's Linux one-folder bundle (dist/perftrack/) with PyInstaller, then smoke-test it.
#
#   installer/build.sh [--venv DIR] [--dist DIR] [--work DIR] [--no-smoke]
#
# --venv  the build environment, created when missing (default build/venv, or $PERFTRACK_BUILD_VENV);
#         it gets PyInstaller and a fresh, non-editable install of this tree
# --dist  where the bundle goes (default dist/; the bundle is DIST/perftrack)
# --work  PyInstaller's work folder (default build/pyinstaller)
# --no-smoke  build only
#
# The smoke test opens the main window offscreen on a new database holding the sample forms
# (which runs the bundled migrations), waits for its first paint, and prints a report PDF (the
# bundled font and matplotlib). Both use a temporary data folder, never the user's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${PERFTRACK_BUILD_VENV:-$ROOT/build/venv}
DIST=$ROOT/dist
WORK=$ROOT/build/pyinstaller
SMOKE=1
while (($#)); do
  case $1 in
    --venv) VENV=$2; shift 2 ;;
    --dist) DIST=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --no-smoke) SMOKE=0; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
PY=${PYTHON:-python3}

say() { printf 'build.sh: %s\n' "$*" >&2; }

if [[ ! -f $FONT ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing fonts-wqy-microhei (the bundle's Chinese font)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei) >/dev/null
  else
    say "please install fonts-wqy-microhei: the bundle needs $FONT"; exit 1
  fi
fi

if [[ ! -x $VENV/bin/python ]]; then
  say "creating the build environment $VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
# setuptools does not empty build/lib between builds: a module deleted since would be bundled.
rm -rf "$ROOT/build/lib" "$ROOT/build/bdist."*
# With the PostgreSQL driver (the [postgres] extra): a team database works from the bundle too.
"$VENV/bin/python" -m pip install -q "pyinstaller>=6.10,<7" "$ROOT[postgres]"
# The same version number as last time would otherwise count as installed already.
"$VENV/bin/python" -m pip install -q --no-deps --force-reinstall "$ROOT"
VERSION=$("$VENV/bin/python" -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$ROOT/pyproject.toml")

say "building perftrack $VERSION into $DIST/perftrack"
mkdir -p "$DIST" "$WORK"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/installer/perftrack.spec"
BUNDLE=$DIST/perftrack
EXE=$BUNDLE/perftrack
say "bundle: $(du -sh "$BUNDLE" | cut -f1) in $(find "$BUNDLE" -type f | wc -l) files"

if ((SMOKE)); then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  export PERFTRACK_DATA_DIR=$tmp/data QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
  got=$("$EXE" --version)
  [[ $got == "perftrack $VERSION" ]] || { say "--version said '$got', expected 'perftrack $VERSION'"; exit 1; }
  out=$("$EXE" --smoke --load-sample-if-empty --db "$tmp/smoke.db")
  echo "$out"
  grep -q "first paint after" <<<"$out" || { say "smoke test: no first paint"; exit 1; }
  projects=$("$EXE" projects --json --db "$tmp/smoke.db" | grep -c '"name"' || true)
  ((projects > 0)) || { say "smoke test: the sample forms were not loaded"; exit 1; }
  "$EXE" report --db "$tmp/smoke.db" -o "$tmp/report.pdf" >/dev/null
  [[ -s $tmp/report.pdf ]] || { say "smoke test: no report PDF"; exit 1; }
  say "smoke test passed: $projects sample projects, report.pdf $(stat -c %s "$tmp/report.pdf") bytes"
fi
