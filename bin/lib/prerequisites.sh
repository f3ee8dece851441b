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
