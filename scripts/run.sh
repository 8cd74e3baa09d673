#!/usr/bin/env bash
# `make run`: the whole platform on this machine, served as in production.
#
# The production settings with ONE_SERVER=1 (SQLite, the cache in the database, e-mails and
# SMS printed in this terminal, all as an explicit one-server choice) and HTTPS=0 (plain
# http on 127.0.0.1). Then: migrations, the cache table, static files, the Liège demo,
# sign-in links, the task worker, the scheduler and gunicorn. Ctrl-C stops all three.
# PORT (default 8000) moves the server; SITE_URL follows it unless set.
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-interra.config.settings.prod}"
export ONE_SERVER="${ONE_SERVER:-1}"
export HTTPS="${HTTPS:-0}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}"
export PYTHONUNBUFFERED=1
if [ -z "${SECRET_KEY:-}" ]; then
  # Made once for this machine, kept out of git (var/ is ignored).
  mkdir -p var
  if [ ! -s var/secret-key ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' \
      > var/secret-key)
  fi
  SECRET_KEY="$(cat var/secret-key)"
  export SECRET_KEY
fi

manage() { .venv/bin/python manage.py "$@"; }
manage migrate --no-input
manage createcachetable
# Static files are hashed and compressed once, again only when one of them changed.
manifest="${STATIC_ROOT:-var/static}/staticfiles.json"
if [ ! -f "$manifest" ] || [ uv.lock -nt "$manifest" ] \
   || [ -n "$(find src/interra -path '*/static/*' -newer "$manifest" -print -quit)" ]; then
  manage collectstatic --no-input -v0
fi
manage seed_demo --if-empty
manage demo_links
echo "Serving on $SITE_URL (Ctrl-C stops the server, the worker and the scheduler)"
echo "E-mails and SMS are printed here: this is the one-server demo, nothing is sent."

trap 'trap - EXIT INT TERM; kill $(jobs -p) 2>/dev/null; wait' EXIT INT TERM
manage db_worker &
manage run_scheduler &
.venv/bin/gunicorn interra.config.wsgi:application --config python:interra.config.gunicorn &
wait -n   # any of the three stopping stops the others
