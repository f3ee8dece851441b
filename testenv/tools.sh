# Shared by helm/build.sh and opentofu/build.sh: a tool folder stamped with what built it, and a Go build into it.
# Sourced from the tool's own folder (its go.mod, go.sum and build.sh make the stamp, with this file).

# Exits the calling script when $target holds binaries built from the current files.
exit_if_current() {
  local what="$1"
  stamp="$(cat go.mod go.sum build.sh "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
  if [[ -f "$target/.stamp" && "$(cat "$target/.stamp")" == "$stamp" ]]; then
    echo "testenv: $what is current in $target"
    exit 0
  fi
  mkdir -p "$target"
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
}

# go_build NAME LDFLAGS PACKAGE: builds PACKAGE into $target/NAME, replacing it only once the build succeeded.
go_build() {
  go build -trimpath -ldflags "$2" -o "$target/$1.tmp" "$3"
  mv "$target/$1.tmp" "$target/$1"
}

mark_current() {
  echo "$stamp" > "$target/.stamp"
}
