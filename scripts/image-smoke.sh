#!/usr/bin/env bash
# Runs the built image's three services the way the Helm chart runs them, without a
# container engine: the image's filesystem (buildah mount) mounted read-only with a tmpfs
# on /tmp, each service chrooted as uid/gid 10001 with only KAFSCALE_* settings, against a
# real etcd and MinIO on loopback; then kcat produces to the edge and consumes back.
# Shows that the entrypoint works, the image is complete (native modules load) and nothing
# writes outside /tmp. Needs root, buildah, etcd, kcat and $KAFSCALE_CACHE_DIR/bin/minio
# (scripts/test-deps.sh). Usage: bash scripts/image-smoke.sh [IMAGE] (default
# localhost/kafscale:<package version>). Not part of `npm test`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('${root}/package.json').version")"
image="${1:-localhost/kafscale:${version}}"
minio="${KAFSCALE_CACHE_DIR:-${HOME}/.cache/kafscale}/bin/minio"
log() { echo "image-smoke: $*" >&2; }

[ "$(id -u)" -eq 0 ] || { log "ERROR: needs root (mount, chroot)"; exit 1; }
for tool in buildah etcd kcat unshare chroot; do
  command -v "$tool" >/dev/null 2>&1 || { log "ERROR: ${tool} not found"; exit 1; }
done
[ -x "$minio" ] || { log "ERROR: ${minio} missing: run scripts/test-deps.sh"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/kafscale-image-smoke-XXXXXX")"
ctr="$(buildah from "$image")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  buildah umount "$ctr" >/dev/null 2>&1 || true
  buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
rootfs="$(buildah mount "$ctr")"
chroot_bin="$(command -v chroot)"

# The native modules load (their binaries match the runtime image's libc and Node).
chroot --userspec=10001:10001 "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp \
  node -e "process.chdir('/app'); for (const m of ['zstd-napi', 'lz4-napi', 'snappy', '@node-rs/crc32']) require(require.resolve(m, { paths: ['/app'] }));" || {
  log "ERROR: a native module does not load in ${image}"
  exit 1
}
log "native modules (zstd-napi, lz4-napi, snappy, @node-rs/crc32) load"

# Ports: etcd, MinIO, then per service its gRPC/Kafka port and its metrics port.
base=$((30000 + RANDOM % 20000))
etcd_port=$base minio_port=$((base + 1))
etcd --name smoke --data-dir "${work}/etcd" --listen-client-urls "http://127.0.0.1:${etcd_port}" \
  --advertise-client-urls "http://127.0.0.1:${etcd_port}" --listen-peer-urls "http://127.0.0.1:$((base + 2))" \
  --initial-advertise-peer-urls "http://127.0.0.1:$((base + 2))" --initial-cluster "smoke=http://127.0.0.1:$((base + 2))" \
  >"${work}/etcd.log" 2>&1 &
pids+=($!)
MINIO_ROOT_USER=smokeaccess MINIO_ROOT_PASSWORD=smokesecret123 "$minio" server --quiet \
  --address "127.0.0.1:${minio_port}" --console-address "127.0.0.1:$((base + 3))" "${work}/minio" >"${work}/minio.log" 2>&1 &
pids+=($!)

wait_http() { # url what
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "ERROR: $2 did not answer ${1}"
  tail -n 40 "${work}"/*.log >&2
  return 1
}
wait_http "http://127.0.0.1:${etcd_port}/health" etcd
wait_http "http://127.0.0.1:${minio_port}/minio/health/ready" minio
(cd "$root" && NODE_NO_WARNINGS=1 node -e "
const { S3Client, CreateBucketCommand } = require('@aws-sdk/client-s3');
new S3Client({ endpoint: 'http://127.0.0.1:${minio_port}', region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId: 'smokeaccess', secretAccessKey: 'smokesecret123' } })
  .send(new CreateBucketCommand({ Bucket: 'kafscale' })).catch((e) => { console.error(e); process.exit(1); });")

# The image's filesystem read-only, /tmp a tmpfs: what readOnlyRootFilesystem and the
# chart's emptyDir on /tmp give a pod. A private mount namespace keeps the mounts away
# from the host and drops them when the services exit.
run_service() { # name port metrics-port
  local name=$1 port=$2 mport=$3 listen_var
  case "$name" in
    edge) listen_var=KAFSCALE_EDGE_ADDR ;;
    controlplane) listen_var=KAFSCALE_CONTROLPLANE_ADDR ;;
    storage-node) listen_var=KAFSCALE_STORAGE_ADDR ;;
  esac
  unshare -m bash -c "
    set -e
    mkdir -p '${work}/root-${name}'
    mount --bind '${rootfs}' '${work}/root-${name}'
    mount -o remount,bind,ro '${work}/root-${name}'
    mount -t tmpfs -o size=64m tmpfs '${work}/root-${name}/tmp'
    mount --rbind /dev '${work}/root-${name}/dev'
    mount -t proc proc '${work}/root-${name}/proc'
    exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp NODE_ENV=production \
      KAFSCALE_ETCD_ENDPOINTS=http://127.0.0.1:${etcd_port} \
      KAFSCALE_S3_ENDPOINT=http://127.0.0.1:${minio_port} KAFSCALE_S3_BUCKET=kafscale \
      KAFSCALE_S3_ACCESS_KEY=smokeaccess KAFSCALE_S3_SECRET_KEY=smokesecret123 \
      ${listen_var}=127.0.0.1:${port} KAFSCALE_ADVERTISED_ADDR=127.0.0.1:${port} \
      KAFSCALE_METRICS_ADDR=127.0.0.1:${mport} KAFSCALE_LOG_LEVEL=info \
      ${chroot_bin} --userspec=10001:10001 '${work}/root-${name}' node /app/bin/kafscale.js ${name}
  " >"${work}/${name}.log" 2>&1 &
  pids+=($!)
}
run_service controlplane $((base + 10)) $((base + 11))
wait_http "http://127.0.0.1:$((base + 11))/readyz" "controlplane /readyz"
run_service storage-node $((base + 12)) $((base + 13))
run_service edge $((base + 14)) $((base + 15))
wait_http "http://127.0.0.1:$((base + 13))/readyz" "storage-node /readyz"
wait_http "http://127.0.0.1:$((base + 15))/readyz" "edge /readyz"
log "controlplane, storage-node and edge ready (read-only root, uid 10001)"

broker="127.0.0.1:$((base + 14))"
printf 'one\ntwo\nthree\n' | kcat -P -b "$broker" -t smoke -X topic.request.required.acks=all 2>"${work}/kcat-p.log" || {
  log "ERROR: produce failed"; cat "${work}/kcat-p.log" "${work}"/*.log >&2; exit 1
}
got="$(timeout 30 kcat -C -b "$broker" -t smoke -o beginning -c 3 -e 2>"${work}/kcat-c.log" | tr '\n' ' ')"
if [ "$got" != "one two three " ]; then
  log "ERROR: consumed '${got}', expected 'one two three '"
  cat "${work}/kcat-c.log" >&2
  tail -n 30 "${work}"/*.log >&2
  exit 1
fi
log "produced and consumed 3 records through ${image}: ok"
