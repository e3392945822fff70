#!/usr/bin/env bash
# Installs the external programs the test suite starts itself (run by `npm test`).
#   - etcd (etcd-server + etcd-client from Debian apt) when `etcd` is not on PATH;
#   - MinIO, built with the Go toolchain into $KAFSCALE_CACHE_DIR/bin (default
#     ~/.cache/kafscale/bin) when that binary is missing. Go's module and build
#     caches stay in their default places, so a rebuild after a cache wipe is fast.
# Idempotent: when everything is present it only checks and prints versions (< 1 s).
# See test/fixtures/README.md for what the fixtures start and how long a cold run takes.
set -euo pipefail

MINIO_MODULE="github.com/minio/minio"
# MinIO has no semver tags; this pseudo-version is what @latest resolved to.
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"

cache_dir="${KAFSCALE_CACHE_DIR:-${HOME}/.cache/kafscale}"
bin_dir="${cache_dir}/bin"

log() { echo "test-deps: $*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# --- etcd -------------------------------------------------------------------
install_etcd() {
  local pkgs=(etcd-server etcd-client)
  log "etcd not on PATH; installing ${pkgs[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"; then
    log "apt-get install failed; running apt-get update and retrying"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"
  fi
}

if command -v etcd >/dev/null 2>&1; then
  log "etcd present: $(command -v etcd)"
else
  install_etcd
  command -v etcd >/dev/null 2>&1 || {
    log "ERROR: etcd still not on PATH after install"
    exit 1
  }
fi
log "$(etcd --version 2>&1 | head -n 1)"

# --- MinIO ------------------------------------------------------------------
minio_bin="${bin_dir}/minio"
if [ -x "$minio_bin" ]; then
  log "minio present: ${minio_bin}"
else
  command -v go >/dev/null 2>&1 || {
    log "ERROR: the Go toolchain (go) is needed to build MinIO and is not on PATH"
    exit 1
  }
  mkdir -p "$bin_dir"
  log "building MinIO ${MINIO_VERSION} into ${bin_dir} (cold: 3-8 minutes, 1.2 GB of Go modules)"
  start=$(date +%s)
  GOFLAGS=-buildvcs=false GOBIN="$bin_dir" go install "${MINIO_MODULE}@${MINIO_VERSION}"
  log "MinIO built in $(($(date +%s) - start)) s"
fi
if ! minio_version="$("$minio_bin" --version 2>&1)"; then
  log "ERROR: ${minio_bin} does not run:"
  echo "$minio_version" >&2
  exit 1
fi
log "$(echo "$minio_version" | head -n 1)"

# --- Kafka clients -----------------------------------------------------------
# kcat (librdkafka) drives produce/consume tests as a real client. The Java client
# (Maven Central) and the other compatibility harnesses are added with test/compat/.
if command -v kcat >/dev/null 2>&1; then
  log "kcat present: $(command -v kcat)"
else
  log "kcat not on PATH; installing it with apt-get"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends kcat; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends kcat
  fi
fi
log "$(kcat -V 2>&1 | head -n 1)"

log "all test dependencies present"
