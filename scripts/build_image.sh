#!/usr/bin/env bash
# Builds the Smart Dairy image with Debian's podman (buildah inside) on a machine that reaches no
# container registry, then starts it the way production does and checks it answers.
#
#   scripts/build_image.sh [--no-smoke]          image: localhost/smart-dairy:dev (IMAGE=… to rename)
#
# 1. The base: `debootstrap --variant=minbase bookworm` into $SD_IMAGE_CACHE (default
#    /var/cache/smart-dairy, outside the repository; made once, ~40 s and 200 MB, then reused),
#    imported as localhost/smart-dairy-base:bookworm.
# 2. Deno: the host's deno binary in a one-file image localhost/smart-dairy-deno:<version>
#    (what docker.io/denoland/deno:bin-<version> is where a registry answers).
# 3. `podman build --format docker` of ./Dockerfile (docker format keeps the HEALTHCHECK).
# 4. Smoke test (unless --no-smoke): the `all` role (embedded PostgreSQL, KV and broker) as user
#    10001 with a read-only root file system, a tmpfs /data and /tmp and NO network at all, so a
#    download at start would fail it; /healthz and /readyz are fetched from inside the container
#    and the image's own HEALTHCHECK is run.
# 5. With SMOKE_DATABASE_URL (a PostgreSQL database the container may migrate): the `web` role as
#    Compose and Helm run it, on the host's network (to reach that server) but with every
#    download path closed (HTTP(S)_PROXY and the npm registry pointed at a dead port), read-only,
#    user 10001, the shared secrets from the environment; /healthz and /readyz fetched from here.
#    SMOKE_EMBEDDED=0 skips step 4.
#
# Needs root (rootful podman). On hosts with cgroups v1+v2 "hybrid" mounts crun refuses to start
# containers ("cgroups in hybrid mode not supported"), so runc (Debian package `runc`) is used
# when present; the container's ulimits are set explicitly because without CAP_SYS_RESOURCE
# podman's defaults (raising nofile/nproc) are refused.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-localhost/smart-dairy:dev}"
CACHE="${SD_IMAGE_CACHE:-/var/cache/smart-dairy}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE=localhost/smart-dairy-base:bookworm
DENO_BIN="$(readlink -f "$(command -v deno)")"
DENO_VERSION="$(deno --version | head -1 | awk '{print $2}')"
DENO_IMG="localhost/smart-dairy-deno:${DENO_VERSION}"
smoke=1
[ "${1:-}" = "--no-smoke" ] && smoke=0

runtime=()
if command -v runc >/dev/null; then runtime=(--runtime runc); fi
limits=(--ulimit "nofile=$(ulimit -n):$(ulimit -Hn)" --ulimit "nproc=4096:4096")
t0=$(date +%s)
step() { echo "== [$(($(date +%s) - t0)) s] $*"; }

if ! podman image exists "$BASE"; then
  if [ ! -x "$CACHE/rootfs-bookworm/bin/sh" ]; then
    step "debootstrap --variant=minbase bookworm into $CACHE/rootfs-bookworm"
    mkdir -p "$CACHE"
    rm -rf "$CACHE/rootfs-bookworm.tmp"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs-bookworm.tmp" "$MIRROR" >"$CACHE/debootstrap.log"
    # No apt lists or package archives in the image.
    rm -rf "$CACHE/rootfs-bookworm.tmp/var/cache/apt/archives/"*.deb \
      "$CACHE/rootfs-bookworm.tmp/var/lib/apt/lists/"*
    mv "$CACHE/rootfs-bookworm.tmp" "$CACHE/rootfs-bookworm"
  fi
  step "import $BASE"
  tar -C "$CACHE/rootfs-bookworm" -c . | podman import -q - "$BASE" >/dev/null
fi

if ! podman image exists "$DENO_IMG"; then
  step "make $DENO_IMG from $DENO_BIN"
  ctr=$(buildah from scratch)
  buildah copy -q "$ctr" "$DENO_BIN" /deno >/dev/null
  buildah commit -q "$ctr" "$DENO_IMG" >/dev/null
  buildah rm "$ctr" >/dev/null
fi

step "podman build $IMAGE"
# The build stage installs npm packages from the registry (the only network use; none at start).
# A host whose egress re-signs TLS hands its CA bundle to the build stage (SSL_CERT_FILE).
ca=()
if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
  ca=(-v "$SSL_CERT_FILE:/run/build-ca.crt:ro" --build-arg BUILD_CA=/run/build-ca.crt)
fi
podman build -q --format docker "${runtime[@]}" "${limits[@]}" --network host "${ca[@]}" \
  --build-arg "BASE_IMAGE=$BASE" --build-arg "DENO_IMAGE=$DENO_IMG" -t "$IMAGE" . \
  >"$CACHE/build.log" 2>&1 || { tail -40 "$CACHE/build.log"; exit 1; }
podman image inspect "$IMAGE" --format \
  'image {{.Id}}: user {{.Config.User}}, entrypoint {{.Config.Entrypoint}} {{.Config.Cmd}}, {{.Size}} bytes'
[ $smoke = 1 ] || exit 0

name="sd-smoke-$$"
cleanup() { podman rm -f -t 5 "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ "${SMOKE_EMBEDDED:-1}" = "1" ]; then
step "run $IMAGE all: read-only root, user 10001, no network"
podman run -d --name "$name" "${runtime[@]}" "${limits[@]}" --network none --read-only \
  --tmpfs /data:rw,size=512m,U --tmpfs /tmp:rw,size=256m,mode=1777 \
  -e ADMIN_PASSWORD=smoke-test-password-1 "$IMAGE" all >/dev/null
probe() { # probe PATH → prints status and body
  podman exec "$name" deno eval --quiet "
    const r = await fetch('http://127.0.0.1:8000$1').catch(() => null);
    console.log(r ? r.status + ' ' + (await r.text()).trim().slice(0, 300) : 'no answer');" 2>&1 || true
}
ready=""
for _ in $(seq 1 180); do
  if [ "$(podman inspect -f '{{.State.Running}}' "$name")" != "true" ]; then
    podman logs "$name" | tail -40
    echo "the container stopped" >&2
    exit 1
  fi
  ready=$(probe /readyz)
  case "$ready" in 200*) break ;; esac
  sleep 1
done
health=$(probe /healthz)
echo "GET /healthz → $health"
echo "GET /readyz → $ready"
podman exec "$name" sh -c 'echo "uid $(id -u), root fs: $(touch /app/x 2>&1 | sed "s/.*: //")"'
podman healthcheck run "$name" >/dev/null && echo "HEALTHCHECK: healthy"
case "$health" in 200*) ;; *) podman logs "$name" | tail -40; exit 1 ;; esac
case "$ready" in 200*) ;; *) podman logs "$name" | tail -40; exit 1 ;; esac
step "smoke test passed"
fi

[ -n "${SMOKE_DATABASE_URL:-}" ] || exit 0
cleanup
web_port=$((20000 + RANDOM % 20000))
metrics_port=$((web_port + 1))
worker="sd-smoke-worker-$$"
trap 'cleanup; podman rm -f -t 5 "$worker" >/dev/null 2>&1 || true' EXIT
# What Compose and Helm give every app container (the secrets the same in each).
app_env=(-e DATABASE_URL="$SMOKE_DATABASE_URL" -e DATABASE_POOL_SIZE=3
  -e PUBLIC_URL="http://127.0.0.1:$web_port" -e KV_PATH=/data/kv.sqlite3
  -e APP_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  -e FIELD_KEYS="1:$(head -c 32 /dev/urandom | base64 -w0)" -e METRICS_TOKEN=smoke-metrics-token-0123
  -e PAYMENT_FAKES=off -e NOTIFY_FAKES=off
  -e HTTP_PROXY=http://127.0.0.1:9 -e HTTPS_PROXY=http://127.0.0.1:9 -e NO_PROXY=127.0.0.1,localhost
  -e NPM_CONFIG_REGISTRY=http://127.0.0.1:9/)
ro=(--network host --read-only --tmpfs /data:rw,size=512m,U --tmpfs /tmp:rw,size=256m,mode=1777)
step "run $IMAGE web on :$web_port against SMOKE_DATABASE_URL (read-only, no downloads)"
podman run -d --name "$name" "${runtime[@]}" "${limits[@]}" "${ro[@]}" "${app_env[@]}" \
  -e MIGRATE_ON_START=1 -e PORT="$web_port" -e HOST=127.0.0.1 "$IMAGE" web >/dev/null
answer() { deno eval --quiet "
  const r = await fetch('http://127.0.0.1:$1').catch(() => null);
  console.log(r ? r.status + ' ' + (await r.text()).trim().slice(0, 300) : 'no answer');" 2>&1 || true; }
wait_ready() { # wait_ready CONTAINER HOST:PORT → the last /readyz answer
  local out=""
  for _ in $(seq 1 180); do
    if [ "$(podman inspect -f '{{.State.Running}}' "$1")" != "true" ]; then
      podman logs "$1" | tail -40 >&2
      echo "$1 stopped" >&2
      exit 1
    fi
    out=$(answer "$2/readyz")
    case "$out" in 200*) break ;; esac
    sleep 1
  done
  echo "$out"
}
ready=$(wait_ready "$name" "$web_port")
health=$(answer "$web_port/healthz")
echo "web GET /healthz → $health"
echo "web GET /readyz → $ready"
case "$health" in 200*) ;; *) podman logs "$name" | tail -40; exit 1 ;; esac
case "$ready" in 200*) ;; *) podman logs "$name" | tail -40; exit 1 ;; esac
step "run $IMAGE worker outbox (metrics, /healthz, /readyz on :$metrics_port)"
podman run -d --name "$worker" "${runtime[@]}" "${limits[@]}" "${ro[@]}" "${app_env[@]}" \
  -e METRICS_PORT="$metrics_port" -e METRICS_HOST=127.0.0.1 -e HEALTHCHECK_PORT="$metrics_port" \
  "$IMAGE" worker outbox >/dev/null
wready=$(wait_ready "$worker" "$metrics_port")
echo "outbox GET /readyz → $wready"
case "$wready" in 200*) ;; *) podman logs "$worker" | tail -40; exit 1 ;; esac
podman healthcheck run "$worker" >/dev/null && echo "outbox HEALTHCHECK: healthy"
podman stop -t 20 "$name" "$worker" >/dev/null
echo "stopped: web exit $(podman inspect -f '{{.State.ExitCode}}' "$name")," \
  "outbox exit $(podman inspect -f '{{.State.ExitCode}}' "$worker")"
podman logs "$name" 2>&1 | grep -iE "applied|Smart Dairy on|Shutting down" || true
step "web and worker smoke test passed"
