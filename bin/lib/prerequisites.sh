# Sourced by bin/run and bin/test: stops with one sentence naming what is missing and how to get it.

missing() {
  echo "infracast: $1" >&2
  exit 1
}

require_java() {
  command -v java >/dev/null 2>&1 || missing "Java is not installed; install a JDK 17 or newer (for example 'apt-get install openjdk-17-jdk-headless')."
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ "${major%%.*}" -ge 17 ]] || missing "Java $major is too old; install a JDK 17 or newer and put it first on PATH."
}

require_maven() {
  command -v mvn >/dev/null 2>&1 || missing "Maven is not installed; install Maven 3.8 or newer (for example 'apt-get install maven')."
}

require_go() {
  command -v go >/dev/null 2>&1 || missing "Go is not installed; install Go 1.24 or newer (https://go.dev/doc/install) to build the test control plane."
}

# The tests and the local run start throwaway servers from Debian's PostgreSQL 15 binaries (as the postgres user
# when run as root, which PostgreSQL itself refuses).
require_postgres() {
  if [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
    missing "PostgreSQL 15 server binaries are missing; install them with 'apt-get install postgresql-15'."
  fi
}

# Python tools the tests run, each from a venv of its own under .tools/<name>/ inside the project, so that nothing
# is installed system-wide and one tool's pins never move another's dependencies. Created on first use; a new pin
# reinstalls it. Arguments: the venv's name, the pip requirement, its version, what it is for.
require_python_tool() {
  local venv=".tools/$1" requirement=$2 version=$3 purpose=$4
  local stamp="$venv/.$1-$version"
  [[ -f "$stamp" ]] && return 0
  command -v python3 >/dev/null 2>&1 || missing "Python 3 is not installed; install it (for example 'apt-get install python3 python3-venv') for $purpose."
  rm -rf "$venv"
  python3 -m venv "$venv" >/dev/null 2>&1 \
    || { rm -rf "$venv"; missing "Python 3 cannot create a virtual environment; install its venv module (for example 'apt-get install python3-venv')."; }
  echo "infracast: installing $requirement into $venv ($purpose)"
  "$venv/bin/pip" install -q --disable-pip-version-check "$requirement" \
    || { rm -rf "$venv"; missing "could not install $requirement from PyPI into $venv."; }
  touch "$stamp"
}

# moto server, an AWS API emulator: answers the tests' S3, RDS and Secrets Manager calls.
MOTO_VERSION=5.2.5
require_moto() {
  require_python_tool moto "moto[server]==$MOTO_VERSION" "$MOTO_VERSION" "the tests' AWS emulator"
}

# schemathesis, a property-based fuzzer driven by an OpenAPI document: api-server's OpenApiFuzzTest runs it.
SCHEMATHESIS_VERSION=4.32.5
require_schemathesis() {
  if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    missing "schemathesis $SCHEMATHESIS_VERSION needs Python 3.11 or newer, python3 is $(python3 -V 2>&1); install a newer Python 3 first on PATH."
  fi
  require_python_tool schemathesis "schemathesis==$SCHEMATHESIS_VERSION" "$SCHEMATHESIS_VERSION" "the API fuzz test"
}
