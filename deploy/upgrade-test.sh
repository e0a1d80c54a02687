#!/usr/bin/env bash
# An upgrade from the previous release, as docs/operations.md (Upgrading) describes it:
# the previous release's code (deploy/PREVIOUS_RELEASE, or UPGRADE_FROM=<commit>) builds
# a database with its own migrations and demo data, this checkout's `migrate` upgrades
# it, and deploy/upgrade_check.py finds every row of every old table unchanged. Then the
# new code reads the first and last record of every model. SQLite, in a temporary
# folder. .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${VENV:-$ROOT/.venv}/bin/python
OLD=${UPGRADE_FROM:-$(cat deploy/PREVIOUS_RELEASE)}
started=$(date +%s)
WORK=$(mktemp -d /tmp/clientfolio-upgrade.XXXXXX)
trap 'rm -rf "$WORK"; echo "deploy/upgrade-test.sh: done in $(( $(date +%s) - started )) s"' EXIT

if ! git cat-file -e "$OLD^{commit}" 2>/dev/null; then
  # A shallow clone: fetch the history once; a clone that cannot reach its origin has
  # no previous release to upgrade from, which is said loudly rather than failed on.
  git fetch --quiet --unshallow 2>/dev/null || true
fi
if ! git cat-file -e "$OLD^{commit}" 2>/dev/null; then
  echo "SKIPPED: the previous release $OLD is not in this clone and could not be fetched" >&2
  exit 0
fi
mkdir "$WORK/old"
git archive "$OLD" | tar -x -C "$WORK/old"
export CLIENTFOLIO_DATA_DIR="$WORK/data" DEBUG=false JOBS_BACKEND=database
unset DATABASE_URL DJANGO_SETTINGS_MODULE CLIENTFOLIO_ENV

echo "== the previous release ($(git log -1 --format='%h %cs %s' "$OLD"))"
# python manage.py puts the old tree first on sys.path, so its clientfolio is imported.
(cd "$WORK/old" && "$PY" -c 'import clientfolio, sys; sys.exit(not clientfolio.__file__.startswith(sys.argv[1]))' "$WORK/old")
(cd "$WORK/old" && "$PY" manage.py migrate --noinput -v0 && "$PY" manage.py demo >"$WORK/demo.log" 2>&1) \
  || { tail -n 30 "$WORK/demo.log" 2>/dev/null; exit 1; }
echo "built in $(( $(date +%s) - started )) s"
"$PY" deploy/upgrade_check.py snapshot "$WORK/data/clientfolio.sqlite3" "$WORK/before.json"

echo "== upgraded by this checkout ($(git log -1 --format='%h %s'))"
"$PY" manage.py migrate --noinput -v1 | grep -E "^  Applying" || echo "  (no new migrations)"
"$PY" manage.py migrate --check -v0
"$PY" deploy/upgrade_check.py compare "$WORK/data/clientfolio.sqlite3" "$WORK/before.json"
"$PY" manage.py shell --no-imports -c '
from django.apps import apps
read = 0
for model in apps.get_models():
    manager = model._base_manager
    for record in (manager.order_by("pk").first(), manager.order_by("-pk").first()):
        if record is not None:
            [getattr(record, field.attname) for field in model._meta.concrete_fields]
            read += 1
print(f"the new code read {read} records of {len(apps.get_models())} models")
'
