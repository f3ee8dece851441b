#!/bin/sh
# The terraform provisioner's runner: `runner.sh apply` or `runner.sh destroy` of infracast-data, as the
# operator's Job runs it. The state lives in the Secret tfstate-default-$TOFU_STATE_SUFFIX of $KUBE_NAMESPACE
# (OpenTofu's kubernetes backend, locked by a Lease); the variables come as TF_VAR_ environment.
# On failure the last line of output, and the termination message, is OpenTofu's errors on one line.
set -u
action="$1"
work="$(mktemp -d)"
cp -R "$INFRACAST_MODULES"/. "$work"/
cd "$work/infracast-data" || exit 1
# The module has no backend block of its own (it is also used as a plain module): add the state's here.
printf 'terraform {\n  backend "kubernetes" {}\n}\n' > infracast_backend_override.tf

run() {
  "$@" -no-color -input=false > "$work/tofu.log" 2>&1
  code=$?
  cat "$work/tofu.log"
  if [ "$code" -ne 0 ]; then
    # Each "Error: <summary>" with the first plain paragraph of its detail (OpenTofu wraps it): what a user
    # needs in the status.
    summary="$(awk '
      /^Error: / { if (e != "") out = out (out == "" ? "" : "; ") e; e = $0; detail = 0; next }
      e != "" && detail == 1 && /^[^ ]/ { e = e " " $0; next }
      e != "" && detail == 1 { detail = 2 }
      e != "" && !detail && /^[^ ]/ && !/^This was checked/ { e = e ": " $0; detail = 1 }
      END { if (e != "") out = out (out == "" ? "" : "; ") e; print out }' "$work/tofu.log")"
    [ -n "$summary" ] || summary="tofu $1 failed with exit code $code"
    printf '%s\n' "$summary" > "${TERMINATION_LOG:-/dev/termination-log}" 2>/dev/null
    echo "$summary"
    exit "$code"
  fi
}

run tofu init -backend-config="secret_suffix=$TOFU_STATE_SUFFIX"
case "$action" in
  apply) run tofu apply -auto-approve -lock-timeout=10m ;;
  destroy) run tofu destroy -auto-approve -lock-timeout=10m ;;
  *) echo "usage: runner.sh apply|destroy" >&2; exit 2 ;;
esac
