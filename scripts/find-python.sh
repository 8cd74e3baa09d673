#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain what to install.
set -u
candidates=(python3.13 python3.12 /usr/bin/python3 python3)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in "$root"/versions/3.13* "$root"/versions/3.12*; do
    [ -x "$v/bin/python" ] && candidates=("$v/bin/python" "${candidates[@]}")
  done
fi
for dir in /root/.pyenv "$HOME/.pyenv"; do
  for v in "$dir"/versions/3.13* "$dir"/versions/3.12*; do
    [ -x "$v/bin/python" ] && candidates+=("$v/bin/python")
  done
done
for c in "${candidates[@]}"; do
  p=$(command -v "$c" 2>/dev/null) || continue
  if "$p" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$p"; exit 0
  fi
done
echo "Interra needs Python 3.12 or newer (Django 6). Install it, e.g. 'apt-get install python3.13 python3.13-venv' on Debian 13 or 'pyenv install 3.12', then run make again." >&2
exit 1
