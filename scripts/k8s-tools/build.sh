#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.31.0 (and kubectl when none runs from
# PATH) into BIN_DIR from k8s.io/kubernetes, through this wrapper module (its go.mod says
# why). Each binary is keyed by the hash of go.mod, go.sum and main.go (BIN_DIR/<name>.hash):
# present and current, it is not rebuilt (warm: < 1 s). The missing ones come from ONE
# `go build` run, so the packages the servers share compile once.
# Cold (empty Go build cache, modules already downloaded), both servers in one run, niced,
# on 2 cores shared with a test run (load about 7): 1696 s. Called by scripts/test-deps.sh.
#   usage: build.sh BIN_DIR
set -euo pipefail

bin_dir="${1:?usage: build.sh BIN_DIR}"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION="v1.31.0"
ldflags="-X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=31"
hash="$(cat "${src}/go.mod" "${src}/go.sum" "${src}/main.go" | sha256sum | cut -c1-16)"

log() { echo "test-deps: $*"; }

build() { # name...: one `go build` of k8s.io/kubernetes/cmd/<name> for each one missing
  local missing=() name
  for name in "$@"; do
    if [ -x "${bin_dir}/${name}" ] && [ "$(cat "${bin_dir}/${name}.hash" 2>/dev/null)" = "$hash" ]; then
      log "${name} present: ${bin_dir}/${name}"
    else
      missing+=("$name")
    fi
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  command -v go >/dev/null 2>&1 || {
    log "ERROR: the Go toolchain (go) is needed to build ${missing[*]}"
    exit 1
  }
  mkdir -p "$bin_dir"
  log "building ${missing[*]} ${K8S_VERSION} into ${bin_dir} in one go build (cold: 10-30 min)"
  local start out
  start=$(date +%s)
  out="$(mktemp -d "${bin_dir}/.k8s-build.XXXXXX")"
  if ! (cd "$src" && GOFLAGS="-mod=readonly -buildvcs=false" go build -ldflags "$ldflags" \
    -o "${out}/" "${missing[@]/#/k8s.io/kubernetes/cmd/}"); then
    rm -rf "$out"
    exit 1
  fi
  for name in "${missing[@]}"; do
    mv "${out}/${name}" "${bin_dir}/${name}"
    echo "$hash" >"${bin_dir}/${name}.hash"
  done
  rm -rf "$out"
  log "${missing[*]} built in $(($(date +%s) - start)) s"
}

build kube-apiserver kube-controller-manager
# kubectl: the one on PATH when it runs (this machine has one), else built into BIN_DIR.
if kubectl version --client >/dev/null 2>&1; then
  log "kubectl present: $(command -v kubectl)"
else
  build kubectl
fi
log "$("${bin_dir}/kube-apiserver" --version), kube-controller-manager $("${bin_dir}/kube-controller-manager" --version | cut -d' ' -f2)"
