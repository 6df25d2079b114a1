#!/usr/bin/env bash
# Installs Debian packages (apt-get update, then apt-get install -y with the arguments), retrying a
# mirror's hiccup (a hash mismatch mid-update, a dropped connection): Acquire::Retries for each
# download, and the whole update + install up to 3 times, 15 s apart. Run as root.
#
# Usage: scripts/apt-install.sh [APT-GET OPTION...] PACKAGE...   (e.g. --no-install-recommends)
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: $0 [APT-GET OPTION...] PACKAGE..." >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive
for try in 1 2 3; do
  apt-get -o Acquire::Retries=3 update -qq && apt-get -o Acquire::Retries=3 install -y "$@" && exit 0
  [ "$try" -eq 3 ] && break
  echo "apt-get failed (try $try of 3); again in 15 s" >&2
  sleep 15
done
exit 1
