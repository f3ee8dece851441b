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

# moto server (an AWS API emulator) answers the tests' S3 calls, from a Python venv inside the project so that
# nothing is installed system-wide. Created on first use; a new pin reinstalls it.
MOTO_VERSION=5.2.5
MOTO_VENV=.tools/moto

require_moto() {
  local stamp="$MOTO_VENV/.moto-$MOTO_VERSION"
  [[ -f "$stamp" ]] && return 0
  command -v python3 >/dev/null 2>&1 || missing "Python 3 is not installed; install it (for example 'apt-get install python3 python3-venv') for the tests' AWS emulator."
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV" >/dev/null 2>&1 \
    || { rm -rf "$MOTO_VENV"; missing "Python 3 cannot create a virtual environment; install its venv module (for example 'apt-get install python3-venv')."; }
  echo "infracast: installing moto[server] $MOTO_VERSION into $MOTO_VENV (the tests' AWS emulator)"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
    || { rm -rf "$MOTO_VENV"; missing "could not install moto[server] $MOTO_VERSION from PyPI into $MOTO_VENV."; }
  touch "$stamp"
}
