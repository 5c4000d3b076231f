#!/usr/bin/env bash
# Scoring benchmark: generates the built-in benchmark, starts PostgreSQL (and the other test
# servers) on loopback with the test fixture, loads the databases with `momq db load`, and times
# `momq bench score` on 1,000 gold-as-prediction items each for PostgreSQL and SQLite.
# Writes docs/bench/score-postgresql-sqlite.json.   Usage: scripts/bench-score.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
momq=$root/build/engine/momq
work=$(mktemp -d /tmp/momq-bench-score.XXXXXX)
state=$work/servers
trap '"$root/tests/fixtures/db-servers.sh" stop "$state" > /dev/null; rm -rf "$work"' EXIT
"$momq" data synth --out "$work/bench" > /dev/null
"$root/tests/fixtures/db-servers.sh" start "$state" > /dev/null
port=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["postgresql"]["port"])' "$state/servers.json")
export MOMQ_BENCH_PASSWORD=momq-test-secret
"$momq" db load --benchmark "$work/bench" --config "$work/bench/databases.json" --engine postgresql \
  --port "$port" --user momq --password-env MOMQ_BENCH_PASSWORD > /dev/null
mkdir -p "$root/docs/bench"
"$momq" bench score --data "$work/bench/train.jsonl" --databases "$work/bench/databases.json" \
  --dialects postgresql,sqlite --count 1000 --out "$root/docs/bench/score-postgresql-sqlite.json"
