#!/usr/bin/env bash
# What `make run` and `make test` need from the machine, installed where it is missing.
#
#   deploy/prerequisites.sh run    Python 3.11+ with venv, Java 17+, Maven (the broker's jars)
#   deploy/prerequisites.sh test   the same, plus Chromium (the dashboard's browser test),
#                                  promtool (checks the alert rules in deploy/prometheus/) and
#                                  PostgreSQL's server programs (initdb, pg_ctl: the tests' own
#                                  server, which `newsflow postgres` also runs) with pg_trgm
#
# As root on a Debian-based machine the missing Debian packages are installed with apt-get.
# Anywhere else the script changes nothing: it names what is missing, prints the one command
# that installs it, and exits 1 before make does anything else.
# promtool is not taken from a Debian package (that one brings the Prometheus server with it):
# it is built from the Go module proxy with `go install` into $NEWSFLOW_CACHE_DIR/bin or, where
# that cannot be done, copied out of Debian's prometheus package there without installing it.
# PostgreSQL counts as present when initdb is on PATH or in one of Debian's version folders,
# $NEWSFLOW_POSTGRES_VERSIONS_DIR/*/bin (default /usr/lib/postgresql), which is not on PATH.
set -euo pipefail

mode=${1:-run}
case "$mode" in
  run | test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

PROMTOOL_VERSION=${NEWSFLOW_PROMTOOL_VERSION:-v0.316.0}
cache=${NEWSFLOW_CACHE_DIR:-$HOME/.cache/newsflow}
cache=${cache/#\~/$HOME}
python=${PYTHON:-python3}
postgres_versions=${NEWSFLOW_POSTGRES_VERSIONS_DIR:-/usr/lib/postgresql}

packages=()
reasons=()
need() { packages+=("$1"); reasons+=("$2"); }

if ! command -v "$python" >/dev/null; then
  need python3 "no $python"
elif ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "newsflow needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  echo "Install one, then run make with PYTHON=/path/to/python3.11 (or newer)." >&2
  exit 1
elif ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  need python3-venv "$python has no venv/ensurepip"
fi
# A C compiler and Python's headers: `make install` compiles the parser's quotation modules.
command -v cc >/dev/null || need gcc "no C compiler (the compiled quotation modules)"
if command -v "$python" >/dev/null && ! "$python" -c 'import os, sysconfig, sys
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
  need python3-dev "no Python.h for $python (the compiled quotation modules)"
fi

java_major() {
  java -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
major=
command -v java >/dev/null && major=$(java_major)
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
  need openjdk-17-jre-headless "no Java 17 or newer (the local Kafka broker)"
fi
command -v mvn >/dev/null || need maven "no Maven (fetches the broker's jars)"

has_initdb() {
  command -v initdb >/dev/null && return 0
  local found
  for found in "$postgres_versions"/*/bin/initdb; do
    [ -x "$found" ] && return 0
  done
  return 1
}

promtool_path=
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || need chromium "no Chromium (the dashboard's browser test)"
  if ! has_initdb; then
    need postgresql "no PostgreSQL server programs (initdb, pg_ctl: the tests' own server)"
    need postgresql-contrib "pg_trgm, which the PostgreSQL search uses"
  fi
  if [ -n "${NEWSFLOW_PROMTOOL:-}" ]; then
    promtool_path=$NEWSFLOW_PROMTOOL
  elif [ -x "$cache/bin/promtool" ]; then
    promtool_path=$cache/bin/promtool
  elif command -v promtool >/dev/null; then
    promtool_path=$(command -v promtool)
  fi
fi

if [ ${#packages[@]} -gt 0 ]; then
  for i in "${!packages[@]}"; do
    echo "newsflow: missing ${packages[$i]}: ${reasons[$i]}" >&2
  done
  command="apt-get install -y --no-install-recommends ${packages[*]}"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Install it first, then run make again:" >&2
    echo "  sudo apt-get update && sudo $command" >&2
    exit 1
  fi
  echo "newsflow: installing ${packages[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends ${packages[*]}
fi

promtool_from_go() {
  command -v go >/dev/null || return 1
  echo "newsflow: building promtool $PROMTOOL_VERSION into $cache/bin (once)" >&2
  GOBIN="$cache/bin" go install "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION"
}

promtool_from_debian() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
  echo "newsflow: copying promtool out of Debian's prometheus package into $cache/bin" >&2
  local work
  work=$(mktemp -d)
  (cd "$work" && apt-get download -q prometheus) &&
    dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool &&
    install -m 0755 "$work/usr/bin/promtool" "$cache/bin/promtool"
  local status=$?
  rm -rf "$work"
  return $status
}

if [ "$mode" = test ] && [ -z "$promtool_path" ]; then
  mkdir -p "$cache/bin"
  if ! promtool_from_go && ! promtool_from_debian; then
    echo "newsflow: missing promtool (checks deploy/prometheus/ in the tests). Install it:" >&2
    echo "  GOBIN=$cache/bin go install github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION" >&2
    exit 1
  fi
fi
