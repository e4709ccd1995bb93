# Sourced by .ci/run and tools/refresh-constraints.sh.
# find_python 3.12 prints the path of an installed CPython 3.12: pyenv's newest 3.12.N, else python3.12
# on PATH. It fails loudly (message, non-zero status) when there is none: a Python we cannot find is
# never silently skipped.
find_python() {
  local want=$1 root dir candidate
  local candidates=()
  if command -v pyenv >/dev/null 2>&1 && root=$(pyenv root 2>/dev/null) && [ -d "$root/versions" ]; then
    # Plain releases only (3.13.0, not 3.13.0t or 3.13-dev), newest first.
    while IFS= read -r dir; do
      candidates+=("$root/versions/$dir/bin/python")
    done < <(ls "$root/versions" | grep -E "^${want//./\\.}\.[0-9]+$" | sort -rV)
  fi
  candidate=$(command -v "python$want" 2>/dev/null) && candidates+=("$candidate")
  for candidate in "${candidates[@]}"; do
    if [ -x "$candidate" ] &&
      [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Python $want not found (looked in \$(pyenv root)/versions and for python$want on PATH)." >&2
  echo "Install it (e.g. pyenv install $want) and run again." >&2
  return 1
}
