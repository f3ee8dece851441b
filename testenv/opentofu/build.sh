#!/usr/bin/env bash
# Builds OpenTofu's `tofu` and HashiCorp's `terraform-config-inspect` from the Go module proxy into
# ${KUBE_API_TEST_DIR:-~/.kubeapitest}/opentofu/<version>/, where the Terraform tests look (the OpenTofu and
# Terraform provider registries are not needed for that, nor reachable in CI).
# Idempotent: a folder whose stamp matches this go.mod/go.sum/build.sh is left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

version="$(awk '$1=="github.com/opentofu/opentofu" && $2 ~ /^v/ {print substr($2,2); exit}' go.mod)"
target="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/opentofu/${version}"
stamp="$(cat go.mod go.sum build.sh | sha256sum | cut -c1-16)"

if [[ -f "$target/.stamp" && "$(cat "$target/.stamp")" == "$stamp" ]]; then
  echo "testenv: OpenTofu $version binaries are current in $target"
  exit 0
fi

echo "testenv: building OpenTofu $version and terraform-config-inspect into $target (a few minutes the first time)"
mkdir -p "$target"
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
# dev=no: a release build, so `tofu version` prints 1.12.6 rather than 1.12.6-dev.
go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$target/tofu.tmp" \
  github.com/opentofu/opentofu/cmd/tofu
mv "$target/tofu.tmp" "$target/tofu"
go build -trimpath -ldflags "-s -w" -o "$target/terraform-config-inspect.tmp" github.com/hashicorp/terraform-config-inspect
mv "$target/terraform-config-inspect.tmp" "$target/terraform-config-inspect"

# An empty CLI configuration: a TF_CLI_CONFIG_FILE naming a missing file would only add a warning here.
TF_CLI_CONFIG_FILE=/dev/null "$target/tofu" version
echo "$stamp" > "$target/.stamp"
echo "testenv: done"
