#!/usr/bin/env bash
# `npm run image`: builds deploy/docker/Dockerfile into the image kafscale:<package version>
# (KAFSCALE_IMAGE overrides the name) with the first builder that works here:
#   1. a Docker engine (`docker info` answers): docker build;
#   2. buildah (Debian package `buildah`): buildah bud, chroot isolation by default
#      (BUILDAH_ISOLATION overrides it; the default OCI isolation needs runc or crun).
# Base images: KAFSCALE_BUILD_IMAGE and KAFSCALE_RUNTIME_IMAGE override the Dockerfile's
# node:20-bookworm and node:20-bookworm-slim; scripts/image-local-base.sh makes local
# stand-ins from Debian and npm packages for machines that cannot reach Docker Hub.
# KAFSCALE_BUILD_CA_FILE: a CA bundle npm needs to trust (a TLS-intercepting proxy),
# passed as the build secret `build_ca` (deploy/docker/Dockerfile).
# Exits non-zero, saying why, when no builder works.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="$(node -p "require('./package.json').version")"
image="${KAFSCALE_IMAGE:-kafscale:${version}}"
dockerfile="deploy/docker/Dockerfile"
build_image="${KAFSCALE_BUILD_IMAGE:-docker.io/library/node:20-bookworm}"
runtime_image="${KAFSCALE_RUNTIME_IMAGE:-docker.io/library/node:20-bookworm-slim}"
build_args=(--build-arg "BUILD_IMAGE=${build_image}" --build-arg "RUNTIME_IMAGE=${runtime_image}")
# A CA bundle for npm behind a TLS-intercepting proxy: a build secret, in no image layer.
if [ -n "${KAFSCALE_BUILD_CA_FILE:-}" ]; then
  build_args+=(--secret "id=build_ca,src=${KAFSCALE_BUILD_CA_FILE}")
fi

log() { echo "image: $*" >&2; }

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  log "building ${image} with docker"
  exec docker build -f "$dockerfile" -t "$image" "${build_args[@]}" .
fi
if command -v docker >/dev/null 2>&1; then
  log "docker is installed but no Docker engine answers (docker info failed); trying buildah"
fi

if ! command -v buildah >/dev/null 2>&1; then
  log "ERROR: no image builder here: no Docker engine answers and buildah is not installed"
  log "(Debian: apt-get install buildah). The image was not built."
  exit 1
fi

isolation="${BUILDAH_ISOLATION:-chroot}"
# buildah pulls missing base images itself; pulling them first turns "no access to the
# registry" into one clear message instead of a failure in the middle of the build.
for base in "$build_image" "$runtime_image"; do
  if buildah inspect --type image "$base" >/dev/null 2>&1; then continue; fi
  log "pulling base image ${base}"
  if ! buildah pull --quiet "$base" >/dev/null; then
    log "ERROR: buildah cannot pull the base image ${base} (no access to its registry from"
    log "this machine?). The image was not built. To build from local base images made of"
    log "Debian and npm packages instead:"
    log "  bash scripts/image-local-base.sh"
    log "  KAFSCALE_BUILD_IMAGE=localhost/kafscale-base/node:20-bookworm \\"
    log "  KAFSCALE_RUNTIME_IMAGE=localhost/kafscale-base/node:20-bookworm-slim npm run image"
    log "(behind a TLS-intercepting proxy, also KAFSCALE_BUILD_CA_FILE=<the CA bundle npm must trust>)"
    exit 1
  fi
done

log "building ${image} with $(buildah --version) (isolation ${isolation})"
start=$(date +%s)
buildah bud --isolation "$isolation" --layers -f "$dockerfile" -t "$image" "${build_args[@]}" .
log "built ${image} in $(($(date +%s) - start)) s"
