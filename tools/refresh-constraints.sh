#!/usr/bin/env bash
# Re-resolve the pins CI installs; writes constraints.txt and constraints-lower.txt. Usage:
#   bash tools/refresh-constraints.sh
# constraints.txt: the newest versions that the ranges of every requirements file which says
#   `-c constraints.txt` allow (requirements-dev.txt, and requirements.txt through it), resolved on
#   Python 3.11, 3.12 and 3.13 with wheels only; where the Pythons get different versions, one line
#   each with a python_version marker.
# constraints-lower.txt: requirements.txt's lower bounds (numpy>=1.26 -> numpy==1.26), the rest of the
#   dev requirements resolved around them, on Python 3.11.
# It only asks pip to resolve (--dry-run): nothing is installed, no venv is made.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/find-python.sh
pythons=(3.11 3.12 3.13)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The requirement files that use constraints.txt, without their -c lines (constraints are what we are
# making) and with their -r paths made absolute (pip reads them relative to the including file).
: >"$tmp/in.txt"
for file in $(grep -l -E '^-c +constraints\.txt' requirements*.txt); do
  sed -e '/^-c /d' -e "s|^-r  *\([^/]\)|-r $PWD/\1|" "$file" >"$tmp/$file"
  echo "-r $tmp/$file" >>"$tmp/in.txt"
done

resolve() { # resolve PYTHON REPORT [pip args...]
  local python=$1 report=$2
  shift 2
  "$python" -m pip install --quiet --dry-run --ignore-installed --only-binary=:all: \
    --report "$report" -r "$tmp/in.txt" "$@"
}

reports=()
for version in "${pythons[@]}"; do
  python=$(find_python "$version")
  echo "resolving on $python" >&2
  resolve "$python" "$tmp/report-$version.json"
  reports+=("$tmp/report-$version.json")
done
{
  echo "# The exact versions CI installs (pip constraints): requirements-dev.txt and everything it pulls in,"
  echo "# the newest its ranges allow, resolved on Python $(printf '%s, ' "${pythons[@]}" | sed 's/, $//')" \
    "(python_version markers where they differ)."
  echo "# Refresh with: bash tools/refresh-constraints.sh"
  "$python" tools/pins.py merge "${reports[@]}"
} >"$tmp/constraints.txt"

# Pins that were there and are gone (a line added by hand for a package no requirements file names).
dropped=$(comm -23 <(grep -o '^[A-Za-z0-9._-]*' constraints.txt | sort -fu) \
  <(grep -o '^[A-Za-z0-9._-]*' "$tmp/constraints.txt" | sort -fu))
[ -z "$dropped" ] || echo "dropped from constraints.txt (no requirements file asks for them): $dropped" >&2
mv "$tmp/constraints.txt" constraints.txt

python=$(find_python 3.11)
"$python" tools/pins.py lower requirements.txt >"$tmp/lower.txt"
resolve "$python" "$tmp/report-lower.json" -c "$tmp/lower.txt"
{
  echo "# The lowest versions requirements.txt allows (its lower bounds), with the dev requirements resolved"
  echo "# around them on Python 3.11; CI runs the non-browser tests against it. Refresh with:"
  echo "# bash tools/refresh-constraints.sh"
  "$python" tools/pins.py merge "$tmp/report-lower.json"
} >constraints-lower.txt
git --no-pager diff --stat -- constraints.txt constraints-lower.txt || true
