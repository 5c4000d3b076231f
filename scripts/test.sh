#!/usr/bin/env bash
# The whole test suite: installs and builds what is missing (scripts/setup.sh), then runs every
# test through CTest. The tests start their own PostgreSQL and MariaDB servers on loopback.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" "$@"
