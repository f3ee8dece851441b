#!/usr/bin/env bash
# Builds kube-apiserver, etcd, kubectl and kube-controller-manager from the Go module proxy into the folder
# fabric8 kube-api-test reads: ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/, and (through
# opentofu/build.sh, a Go module of its own) OpenTofu and terraform-config-inspect for the Terraform tests.
# Idempotent: a folder whose stamp matches this go.mod/go.sum is left alone, so a second run takes well under a second.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

command -v go >/dev/null 2>&1 || { echo "testenv: Go is not installed; install Go 1.24 or newer (https://go.dev/doc/install)." >&2; exit 1; }

opentofu/build.sh

k8s_version="$(awk '$1=="k8s.io/kubernetes" && $2 ~ /^v/ {print substr($2,2); exit}' go.mod)"
etcd_version="$(awk '$1=="go.etcd.io/etcd/server/v3" && $2 ~ /^v/ {print $2; exit}' go.mod)"
target="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${k8s_version}-linux-amd64"
stamp="$(cat go.mod go.sum build.sh | sha256sum | cut -c1-16)"

if [[ -f "$target/.stamp" && "$(cat "$target/.stamp")" == "$stamp" ]]; then
  echo "testenv: Kubernetes $k8s_version binaries are current in $target"
  exit 0
fi

echo "testenv: building Kubernetes $k8s_version (kube-apiserver, kubectl, kube-controller-manager) and etcd $etcd_version into $target"
echo "testenv: the first build takes several minutes; later runs reuse the Go build cache"
mkdir -p "$target"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
pkg=k8s.io/component-base/version
k8s_ldflags="-s -w -X $pkg.gitVersion=v$k8s_version -X $pkg.gitMajor=${k8s_version%%.*} \
  -X $pkg.gitMinor=$(echo "$k8s_version" | cut -d. -f2) -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
# The client-go copy of the version package is what kubectl prints for its own version.
k8s_ldflags="$k8s_ldflags -X k8s.io/client-go/pkg/version.gitVersion=v$k8s_version"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
for cmd in kube-apiserver kubectl kube-controller-manager; do
  go build -trimpath -ldflags "$k8s_ldflags" -o "$target/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
  mv "$target/$cmd.tmp" "$target/$cmd"
done
go build -trimpath -ldflags "-s -w" -o "$target/etcd.tmp" go.etcd.io/etcd/server/v3
mv "$target/etcd.tmp" "$target/etcd"

"$target/kube-apiserver" --version
"$target/etcd" --version | head -n 1
echo "$stamp" > "$target/.stamp"
echo "testenv: done"
