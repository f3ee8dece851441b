#!/usr/bin/env bash
# Builds OpenTofu's `tofu` and HashiCorp's `terraform-config-inspect` from the Go module proxy into
# ${KUBE_API_TEST_DIR:-~/.kubeapitest}/opentofu/<version>/, where the Terraform tests look (the OpenTofu and
# Terraform provider registries are not needed for that, nor reachable in CI).
# Idempotent: a folder whose stamp matches this go.mod/go.sum/build.sh/../tools.sh is left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

version="$(awk '$1=="github.com/opentofu/opentofu" && $2 ~ /^v/ {print substr($2,2); exit}' go.mod)"
target="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/opentofu/${version}"
source ../tools.sh
exit_if_current "OpenTofu $version"

echo "testenv: building OpenTofu $version and terraform-config-inspect into $target (a few minutes the first time)"
# dev=no: a release build, so `tofu version` prints 1.12.6 rather than 1.12.6-dev.
go_build tofu "-s -w -X github.com/opentofu/opentofu/version.dev=no" github.com/opentofu/opentofu/cmd/tofu
go_build terraform-config-inspect "-s -w" github.com/hashicorp/terraform-config-inspect

# An empty CLI configuration: a TF_CLI_CONFIG_FILE naming a missing file would only add a warning here.
TF_CLI_CONFIG_FILE=/dev/null "$target/tofu" version
mark_current
echo "testenv: done"
