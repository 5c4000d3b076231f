#!/usr/bin/env bash
# Client memory against result size: peak RSS of `momq db query` for a 10,000-row and a
# 3,000,000-row result under the default 10,000-row cap, on every engine the test fixture starts
# (PostgreSQL, MariaDB, FalkorDB) and on SQLite. Writes docs/bench/rows-memory.json.
#   scripts/bench-rows.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
momq=$build/engine/momq
state=$(mktemp -d /tmp/momq-bench-rows.XXXXXX)
trap '"$root/tests/fixtures/db-servers.sh" stop "$state" >/dev/null; rm -rf "$state"' EXIT
"$root/tests/fixtures/db-servers.sh" start "$state" >/dev/null
servers=$state/servers.json
field() { "$root/.venv/bin/python" -c "import json,sys;d=json.load(open('$servers'));print(d$1)"; }
password=$(field "['password']")  # PostgreSQL and MariaDB only: FalkorDB here has none
pg=(--engine postgresql --port "$(field "['postgresql']['port']")" --user momq --database shop)
my=(--engine mysql --port "$(field "['mysql']['port']")" --user momq --database shop)
fk=(--engine falkordb --port "$(field "['falkordb']['port']")" --database rows)
"$root/.venv/bin/python" - "$(field "['falkordb']['port']")" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
q = "CREATE (:Seed)"
s.sendall(b"*3\r\n$11\r\nGRAPH.QUERY\r\n$4\r\nrows\r\n$%d\r\n%s\r\n" % (len(q), q.encode()))
s.recv(1000)
PY
sqlite=$state/rows.sqlite
sqlite3 "$sqlite" "CREATE TABLE t(x)"

peak() {  # peak RSS in MB of one run; the run's own error, if any, on stderr
  local log=$state/time.log
  /usr/bin/time -o "$log" -f %M "$momq" db query "$@" --row-cap 10000 --timeout-ms 120000 --json >/dev/null
  awk '{printf "%.1f", $1 / 1024}' "$log"
}
results=()
run() {  # run ENGINE QUERY_SMALL QUERY_LARGE CONNECTION...
  local engine=$1 small=$2 large=$3; shift 3
  local a b
  a=$(peak "$@" --query "$small"); b=$(peak "$@" --query "$large")
  results+=("{\"engine\": \"$engine\", \"peak_rss_mb_10k_rows\": $a, \"peak_rss_mb_3m_rows\": $b}")
  echo "$engine: 10,000 rows $a MB, 3,000,000 rows $b MB"
}
MOMQ_DB_PASSWORD=$password run postgresql "SELECT g, md5(g::text) FROM generate_series(1, 10000) g" \
  "SELECT g, md5(g::text) FROM generate_series(1, 3000000) g" "${pg[@]}"
MOMQ_DB_PASSWORD=$password run mariadb "SELECT seq, MD5(seq) FROM seq_1_to_10000" "SELECT seq, MD5(seq) FROM seq_1_to_3000000" "${my[@]}"
run falkordb "UNWIND range(1, 10000) AS x RETURN x, toString(x)" "UNWIND range(1, 3000000) AS x RETURN x, toString(x)" "${fk[@]}"
run sqlite "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) SELECT i, hex(i) FROM n" \
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT i, hex(i) FROM n" --sqlite "$sqlite"
mkdir -p "$root/docs/bench"
{
  echo "{\"date\": \"$(date -u +%F)\", \"machine\": \"$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB\","
  echo " \"command\": \"scripts/bench-rows.sh\", \"row_cap\": 10000, \"runs\": ["
  (IFS=,; echo "  ${results[*]}") | sed 's/},{/},\n  {/g'
  echo "]}"
} > "$root/docs/bench/rows-memory.json"
