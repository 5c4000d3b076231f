#!/usr/bin/env bash
# The main job: install everything, build, and open MoMQ Studio on the embedded default project.
# Without a display it runs the same job headless through the `momq` command-line tool.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$root/build/app/momq-studio" --demo "$@"
fi
echo "studio: no display found (DISPLAY/WAYLAND_DISPLAY unset): running the default project headless with momq" >&2
exec "$root/build/engine/momq" demo "$@"
