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
# kcat (librdkafka) drives produce/consume tests as a real client; test/compat/ also uses
# confluent-kafka-python, franz-go and the Java client, installed below.
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

# --- Chromium -----------------------------------------------------------------
# The console's browser test (test/e2e/console-browser.test.ts) drives Debian's Chromium
# through playwright-core at /usr/bin/chromium; playwright never downloads a browser here.
if [ -x /usr/bin/chromium ]; then
  log "chromium present: /usr/bin/chromium"
else
  log "chromium not installed; installing it with apt-get"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
fi
log "$(/usr/bin/chromium --version 2>/dev/null | head -n 1)"

# --- Compatibility clients (test/compat/README.md) ----------------------------
# Each is rebuilt only when what it is made from changes; warm, this section takes < 1 s.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
compat_src="${repo_root}/test/compat"
compat_dir="${cache_dir}/compat"
mkdir -p "$compat_dir" "$bin_dir"

apt_install() {
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  fi
}

# Hash of the given files' contents (a rebuild key).
src_hash() { cat "$@" | sha256sum | cut -c1-16; }

# confluent-kafka-python: the PyPI wheel (bundles its own librdkafka) in a venv.
CONFLUENT_KAFKA_VERSION="2.16.1"
py_venv="${compat_dir}/python"
if "${py_venv}/bin/python" -c "import sys, confluent_kafka; sys.exit(confluent_kafka.__version__ != '${CONFLUENT_KAFKA_VERSION}')" >/dev/null 2>&1; then
  log "confluent-kafka ${CONFLUENT_KAFKA_VERSION} present: ${py_venv}"
else
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  log "installing confluent-kafka ${CONFLUENT_KAFKA_VERSION} from PyPI into ${py_venv}"
  rm -rf "$py_venv"
  python3 -m venv "$py_venv"
  "${py_venv}/bin/pip" install --disable-pip-version-check -q "confluent-kafka==${CONFLUENT_KAFKA_VERSION}"
fi

# franz-go: test/compat/franz-go built into $bin_dir/compat-franz-go, keyed by its source hash.
franz_src="${compat_src}/franz-go"
franz_bin="${bin_dir}/compat-franz-go"
franz_hash="$(src_hash "${franz_src}/main.go" "${franz_src}/go.mod" "${franz_src}/go.sum")"
if [ -x "$franz_bin" ] && [ "$(cat "${franz_bin}.hash" 2>/dev/null)" = "$franz_hash" ]; then
  log "compat-franz-go present: ${franz_bin}"
else
  command -v go >/dev/null 2>&1 || {
    log "ERROR: the Go toolchain (go) is needed to build test/compat/franz-go"
    exit 1
  }
  log "building test/compat/franz-go into ${franz_bin}"
  (cd "$franz_src" && GOFLAGS="-mod=readonly -buildvcs=false" go build -o "${franz_bin}.tmp" .)
  mv "${franz_bin}.tmp" "$franz_bin"
  echo "$franz_hash" >"${franz_bin}.hash"
fi
# The other franz-go scenarios: test/compat/franz-go/<dir> (same module) built into
# $bin_dir/compat-franz-go-<dir>, each keyed by its own source hash.
build_franz_go_scenario() {
  local dir="$1" bin="${bin_dir}/compat-franz-go-$1" hash
  hash="$(src_hash "${franz_src}/${dir}/main.go" "${franz_src}/go.mod" "${franz_src}/go.sum")"
  if [ -x "$bin" ] && [ "$(cat "${bin}.hash" 2>/dev/null)" = "$hash" ]; then
    log "compat-franz-go-${dir} present: ${bin}"
    return
  fi
  log "building test/compat/franz-go/${dir} into ${bin}"
  (cd "$franz_src" && GOFLAGS="-mod=readonly -buildvcs=false" go build -o "${bin}.tmp" "./${dir}")
  mv "${bin}.tmp" "$bin"
  echo "$hash" >"${bin}.hash"
}
# groups: consumer groups; idempotent: the idempotent-producer fault scenario; admin: the
# admin APIs; security: SCRAM over TLS, mTLS and refused certificates.
for scenario in groups idempotent admin security; do
  build_franz_go_scenario "$scenario"
done

# Java client: jars from Maven Central (test/compat/java/pom.xml) and CompatJava compiled
# into $compat_dir/java, the classes keyed by the hash of the source and the pom.
java_src="${compat_src}/java"
java_dir="${compat_dir}/java"
command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null 2>&1 || apt_install maven
java_hash="$(src_hash "${java_src}/CompatJava.java" "${java_src}/pom.xml")"
if [ "$(cat "${java_dir}/hash" 2>/dev/null)" = "$java_hash" ] && [ -f "${java_dir}/classes/CompatJava.class" ]; then
  log "CompatJava present: ${java_dir}"
else
  log "fetching the Java client jars and compiling CompatJava into ${java_dir}"
  rm -rf "${java_dir}/lib" "${java_dir}/classes"
  mkdir -p "${java_dir}/lib" "${java_dir}/classes"
  mvn -q -B -f "${java_src}/pom.xml" dependency:copy-dependencies -DoutputDirectory="${java_dir}/lib"
  javac -d "${java_dir}/classes" -cp "${java_dir}/lib/*" "${java_src}/CompatJava.java"
  echo "$java_hash" >"${java_dir}/hash"
fi
# CompatJavaGroups (the consumer-group scenario): into the same classes/, keyed by its own hash.
java_groups_hash="$(src_hash "${java_src}/CompatJavaGroups.java" "${java_src}/pom.xml")"
if [ "$(cat "${java_dir}/groups.hash" 2>/dev/null)" = "$java_groups_hash" ] && [ -f "${java_dir}/classes/CompatJavaGroups.class" ]; then
  log "CompatJavaGroups present: ${java_dir}"
else
  log "compiling CompatJavaGroups into ${java_dir}/classes"
  rm -f "${java_dir}/classes/CompatJavaGroups"*.class
  javac -d "${java_dir}/classes" -cp "${java_dir}/lib/*" "${java_src}/CompatJavaGroups.java"
  echo "$java_groups_hash" >"${java_dir}/groups.hash"
fi
# IdempotentJava (the idempotent-producer fault scenario): into the same classes/, keyed by its own hash.
java_idem_hash="$(src_hash "${java_src}/IdempotentJava.java" "${java_src}/pom.xml")"
if [ "$(cat "${java_dir}/idempotent.hash" 2>/dev/null)" = "$java_idem_hash" ] && [ -f "${java_dir}/classes/IdempotentJava.class" ]; then
  log "IdempotentJava present: ${java_dir}"
else
  log "compiling IdempotentJava into ${java_dir}/classes"
  rm -f "${java_dir}/classes/IdempotentJava"*.class
  javac -d "${java_dir}/classes" -cp "${java_dir}/lib/*" "${java_src}/IdempotentJava.java"
  echo "$java_idem_hash" >"${java_dir}/idempotent.hash"
fi

# Apache Kafka's command-line tools (kafka-tools: ConsumerGroupCommand, run with java -cp by
# test/compat/kafka-tools): jars from Maven Central (test/compat/kafka-tools/pom.xml) into
# $compat_dir/kafka-tools/lib, keyed by the pom's hash (cold: about 27 s, 38 jars, 37 MB).
kafka_tools_src="${compat_src}/kafka-tools"
kafka_tools_dir="${compat_dir}/kafka-tools"
kafka_tools_hash="$(src_hash "${kafka_tools_src}/pom.xml")"
if [ "$(cat "${kafka_tools_dir}/hash" 2>/dev/null)" = "$kafka_tools_hash" ] && compgen -G "${kafka_tools_dir}/lib/kafka-tools-*.jar" >/dev/null; then
  log "kafka-tools jars present: ${kafka_tools_dir}/lib"
else
  log "fetching the kafka-tools jars into ${kafka_tools_dir}/lib"
  rm -rf "${kafka_tools_dir}/lib" "${kafka_tools_dir}/hash"
  mkdir -p "${kafka_tools_dir}/lib"
  mvn -q -B -f "${kafka_tools_src}/pom.xml" dependency:copy-dependencies -DoutputDirectory="${kafka_tools_dir}/lib"
  echo "$kafka_tools_hash" >"${kafka_tools_dir}/hash"
fi

# --- Kubernetes tooling (test/integration/k8s, docs/kubernetes.md) ------------------
# helm and kubeconform with `go install` at pinned versions; kube-apiserver and
# kube-controller-manager (and kubectl when none is on PATH) by scripts/k8s-tools/build.sh.
# Cold on 2 shared cores: helm about 2-4 min, kubeconform about 30 s, the two servers
# together 10-30 min (see build.sh). Warm: nothing is rebuilt.
HELM_VERSION="v3.22.0"
KUBECONFORM_VERSION="v0.8.0"

go_install_pinned() { # name module@version: go install into $bin_dir unless the stamp matches
  local name=$1 pkg=$2
  if [ -x "${bin_dir}/${name}" ] && [ "$(cat "${bin_dir}/${name}.version" 2>/dev/null)" = "$pkg" ]; then
    log "${name} present: ${bin_dir}/${name}"
    return
  fi
  command -v go >/dev/null 2>&1 || {
    log "ERROR: the Go toolchain (go) is needed to build ${name}"
    exit 1
  }
  log "building ${pkg} into ${bin_dir}"
  local start
  start=$(date +%s)
  GOFLAGS=-buildvcs=false GOBIN="$bin_dir" go install "$pkg"
  echo "$pkg" >"${bin_dir}/${name}.version"
  log "${name} built in $(($(date +%s) - start)) s"
}
go_install_pinned helm "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
go_install_pinned kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}"

bash "${repo_root}/scripts/k8s-tools/build.sh" "$bin_dir"
"${bin_dir}/helm" version >/dev/null && "${bin_dir}/kubeconform" -v >/dev/null
log "helm ${HELM_VERSION}, kubeconform ${KUBECONFORM_VERSION}"

log "all test dependencies present"
