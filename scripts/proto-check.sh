#!/usr/bin/env bash
# Checks the gRPC API definitions under proto/ (run by `npm run proto:check`):
#   1. buf lint (rules in buf.yaml);
#   2. the committed code in lib/gen/proto is exactly what `buf generate` writes now;
#   3. buf breaking against the previous commit (HEAD~1), when it has protos.
# Everything runs offline: buf and protoc-gen-es come from node_modules, and the
# breaking check reads the local .git. Set PROTO_BREAKING_AGAINST to a git ref
# (for example origin/main) to compare against something other than HEAD~1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

gen_dir="lib/gen/proto"
# --no-install: use the buf from node_modules, never fetch one from the registry.
buf() { npx --no-install buf "$@"; }

echo "proto-check: buf lint"
buf lint

echo "proto-check: lib/gen/proto matches buf generate"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# buf.gen.yaml's output paths are relative to --output, so this writes
# $scratch/lib/gen/proto without touching the committed copy.
buf generate --output "$scratch"
if [[ ! -d "$gen_dir" ]]; then
  echo "proto-check: $gen_dir is missing: generated proto code is stale: run npm run proto" >&2
  exit 1
fi
if ! diff -r "$scratch/$gen_dir" "$gen_dir" >"$scratch/gen.diff"; then
  # Name the files that differ, then a short excerpt (the embedded descriptors
  # are long base64 lines, so each line is cut).
  diff -rq "$scratch/$gen_dir" "$gen_dir" | sed "s|$scratch/|<fresh buf generate>/|g" >&2 || true
  head -n 40 "$scratch/gen.diff" | cut -c 1-160 >&2
  echo "proto-check: generated proto code is stale: run npm run proto" >&2
  exit 1
fi

echo "proto-check: buf breaking"
against="${PROTO_BREAKING_AGAINST:-HEAD~1}"
skip() {
  echo "proto-check: buf breaking skipped: $1"
  exit 0
}
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  skip "not a git work tree"
fi
if ! git rev-parse --verify --quiet HEAD >/dev/null; then
  skip "the repository has no commits yet, so there is no previous API to compare with"
fi
if ! git rev-parse --verify --quiet "${against}^{commit}" >/dev/null; then
  if [[ -n "${PROTO_BREAKING_AGAINST:-}" ]]; then
    echo "proto-check: PROTO_BREAKING_AGAINST='$against' is not a commit in this repository" >&2
    exit 1
  fi
  skip "no commit '$against' (first commit, or a shallow clone), so there is no previous API to compare with"
fi
if ! git cat-file -e "${against}:buf.yaml" 2>/dev/null || ! git cat-file -e "${against}:proto" 2>/dev/null; then
  skip "commit '$against' has no buf.yaml and proto/, so there is no previous API to compare with"
fi
# Fail on rules in buf.yaml's breaking section (FILE).
if ! buf breaking --against ".git#ref=${against}"; then
  echo "proto-check: proto/ has breaking changes against $against (see above)" >&2
  exit 1
fi
echo "proto-check: ok"
