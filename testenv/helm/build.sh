#!/usr/bin/env bash
# Builds the helm CLI from the Go module proxy into ${KUBE_API_TEST_DIR:-~/.kubeapitest}/helm/<version>/helm, where
# the tests look for it. Its own module (this folder's go.mod) keeps helm's k8s.io versions apart from the
# Kubernetes build in ../go.mod. Idempotent: a folder whose stamp matches go.mod/go.sum/build.sh/../tools.sh is left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

helm_version="$(awk '$1=="helm.sh/helm/v3" && $2 ~ /^v/ {print $2; exit}' go.mod)"
target="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/helm/${helm_version#v}"
source ../tools.sh
exit_if_current "helm $helm_version"

echo "testenv: building helm $helm_version into $target"
# As helm's Makefile does: its version, and the newest Kubernetes it assumes when no cluster is asked
# (client-go v0.N.x stands for Kubernetes 1.N).
client_go="$(awk '$1=="k8s.io/client-go" && $2 ~ /^v/ {print substr($2,2); exit}' go.mod)"
k8s_minor="$(echo "$client_go" | cut -d. -f2)"
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version -X helm.sh/helm/v3/internal/version.metadata="
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags="$ldflags -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
done
go_build helm "$ldflags" helm.sh/helm/v3/cmd/helm
"$target/helm" version --short
mark_current
echo "testenv: helm done"
