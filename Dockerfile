# Smart Dairy: one image for every role (web, worker <name>, migrate, all; deploy/entrypoint.sh).
#
#   podman build --format docker -t smart-dairy .            (or docker build; BuildKit not needed)
#   scripts/build_image.sh                                    (no registry: base made by debootstrap)
#
# Stages: `deno` supplies the Deno binary; `build` installs the npm packages (deno.lock, frozen),
# compiles every entrypoint into DENO_DIR and builds the island bundles once (deploy/prebuild.ts)
# so a broken bundler fails the build, and makes everything readable (some npm tarballs ship
# files mode 0600, which the app's user could not load); the final stage holds only Debian's base, deno, /app and
# /deno-dir, owned by root and read-only to the app's user: run it with a read-only root file
# system (compose.yaml `read_only: true`, Helm `readOnlyRootFilesystem: true`) and writable
# /data (DATA_DIR) and /tmp. Nothing is downloaded at start; the image runs with no network to
# the internet (scripts/build_image.sh starts it with --network none).

# Any Debian bookworm (glibc 2.36) root file system: debian:bookworm-slim from a registry, or the
# local image scripts/build_image.sh imports from `debootstrap --variant=minbase bookworm`.
ARG BASE_IMAGE=docker.io/library/debian:bookworm-slim
# An image with the Deno binary at /deno (denoland/deno:bin-<version>, or the local one
# scripts/build_image.sh makes from the host's deno). Keep it at the version CI tests with.
ARG DENO_IMAGE=docker.io/denoland/deno:bin-2.9.6

FROM ${DENO_IMAGE} AS deno

FROM ${BASE_IMAGE} AS build
COPY --from=deno /deno /usr/local/bin/deno
ENV DENO_DIR=/deno-dir DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
# A CA bundle for the npm registry when the build host's egress re-signs TLS (a path mounted
# into the build, e.g. podman build -v /etc/ssl/certs/ca-certificates.crt:/run/ca.crt:ro
# --build-arg BUILD_CA=/run/ca.crt); build-time only, not in the final image.
ARG BUILD_CA=""
WORKDIR /app
# The npm packages first: this layer stays cached until deno.json or deno.lock change.
COPY deno.json deno.lock ./
RUN if [ -n "$BUILD_CA" ]; then export DENO_CERT="$BUILD_CA"; fi; deno install --frozen
COPY . .
RUN if [ -n "$BUILD_CA" ]; then export DENO_CERT="$BUILD_CA"; fi; deno install --frozen \
 && deno cache --frozen main.ts scripts/*.ts workers/*.ts deploy/*.ts \
 && deno run -A --frozen deploy/prebuild.ts \
 && rm -rf data tests .ci .git \
 && chmod -R a+rX,go-w /app /deno-dir

FROM ${BASE_IMAGE} AS runtime
# The app's user: no login, no home, no write access to anything in the image.
RUN groupadd --gid 10001 dairy \
 && useradd --uid 10001 --gid dairy --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dairy \
 && mkdir -p /data && chown dairy:dairy /data && chmod 0700 /data
COPY --from=deno /deno /usr/local/bin/deno
COPY --from=build /deno-dir /deno-dir
COPY --from=build /app /app
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_USE_CGROUPS=1 \
    DATA_DIR=/data \
    HOME=/tmp \
    HOST=0.0.0.0 \
    PORT=8000 \
    NO_COLOR=1
WORKDIR /app
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Liveness of the web role (workers answer /healthz on METRICS_PORT; their probes name it).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["deno", "run", "--allow-net", "--allow-env", "/app/deploy/healthcheck.ts"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]

# `--target ops`: the app plus pgBackRest and PostgreSQL 15's server binaries, for the backup and
# restore-drill CronJobs of the Helm chart (scripts/backup.ts runs them). Same user, same rules.
FROM runtime AS ops
USER 0
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pgbackrest postgresql-15 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
USER 10001:10001

# The default target: the app image.
FROM runtime
