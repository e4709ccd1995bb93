#!/usr/bin/env bash
# Re-resolve the newest versions that requirements-dev.txt's ranges allow and write them to constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)
python -m venv "$venv"
grep -v '^-c ' requirements-dev.txt > "$venv/dev.txt"
"$venv/bin/pip" install --quiet -r "$venv/dev.txt"
{
  echo "# The exact versions CI installs (pip constraints): requirements-dev.txt and everything it pulls in."
  echo "# Refresh with: bash tools/refresh-constraints.sh"
  "$venv/bin/pip" freeze --exclude-editable
} > constraints.txt
rm -rf "$venv"
