#!/bin/sh
# The container's entrypoint (Dockerfile, compose.yaml, the Helm chart): one image, one role per
# process. Every role runs a `deno task` from deno.json, so a container starts exactly what a
# developer starts by hand, and nothing is downloaded at start: the npm packages, the compiled
# modules and the esbuild binary are in the image (DENO_DIR, node_modules), and the tasks run with
# the lock file frozen.
#
#   entrypoint.sh web              the web process (pages, API, webhooks, /healthz /readyz /metrics)
#   entrypoint.sh worker <name>    one worker alone (ingest, outbox, …; see workers/)
#   entrypoint.sh migrate          apply pending migrations and exit (the Helm pre-upgrade hook)
#   entrypoint.sh all              everything in one process (`deno task start`)
#   entrypoint.sh task <name> …    any other deno task (backup, drill, seed, migrate:status, …)
#
# MIGRATE_ON_START=1 applies migrations before `web` or `all` start (one-host Compose does this
# through its `migrate` service instead). `exec` hands the process over to Deno, so SIGTERM from
# the runtime reaches the app's own shutdown (deno task forwards it to the task's process).
set -eu

cd "$(dirname "$0")/.."
export DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 NO_COLOR="${NO_COLOR:-1}"

role="${1:-web}"
[ $# -gt 0 ] && shift

# With a PostgreSQL server every container's DATA_DIR is its own and short-lived (an emptyDir, a
# tmpfs), so the secrets the app would otherwise generate there must come from the environment and
# be the same in every process: a generated field key would encrypt data no other process (nor
# this one after a restart) can read.
require_shared_secrets() {
  [ -n "${DATABASE_URL:-}" ] || return 0
  [ "${SD_ALLOW_GENERATED_SECRETS:-0}" = "1" ] && return 0
  missing=""
  for v in APP_SECRET FIELD_KEYS METRICS_TOKEN; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || missing="$missing $v"
  done
  if [ -n "$missing" ]; then
    echo "entrypoint.sh: set${missing} (the same values in every process; docs/deploy.md \"Secrets\")." >&2
    echo "  With DATABASE_URL each container's DATA_DIR is its own, so generated ones would differ." >&2
    exit 2
  fi
}

migrate_first() {
  if [ "${MIGRATE_ON_START:-0}" = "1" ]; then deno task --frozen migrate; fi
}

case "$role" in
web)
  require_shared_secrets
  migrate_first
  exec deno task --frozen web "$@"
  ;;
worker)
  if [ $# -lt 1 ]; then
    echo "usage: entrypoint.sh worker <name>" >&2
    exec deno task --frozen worker
  fi
  require_shared_secrets
  exec deno task --frozen worker "$@"
  ;;
migrate)
  exec deno task --frozen migrate "$@"
  ;;
all)
  require_shared_secrets
  migrate_first
  exec deno task --frozen start "$@"
  ;;
task)
  if [ $# -lt 1 ]; then
    echo "usage: entrypoint.sh task <name> [args…]" >&2
    exit 2
  fi
  exec deno task --frozen "$@"
  ;;
*)
  echo "entrypoint.sh: unknown role \"$role\" (web | worker <name> | migrate | all | task <name>)" >&2
  exit 2
  ;;
esac
