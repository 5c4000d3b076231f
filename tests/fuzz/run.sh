#!/usr/bin/env bash
# Builds the loader fuzzers (clang, libFuzzer, ASan + UBSan) into BUILD and runs each for SECONDS
# from its seed corpus: the test fixtures plus every reproducer under tests/fuzz/reproducers/.
# Fails on any finding (a crash, a sanitizer report, a leak, an escaped exception, a timeout).
#   tests/fuzz/run.sh BUILD [SECONDS]
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
build=${1:?usage: run.sh BUILD [SECONDS]}
seconds=${2:-30}
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j "$(nproc)"

data=$root/tests/data
seed() {  # seed HARNESS FILE... : copies fixtures into the harness's working corpus
  local dir=$build/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"; done
  return 0
}
rm -rf "$build/corpus"
seed safetensors "$data"/engine/dtypes.safetensors "$src"/reproducers/safetensors/*
seed tokenizer "$src"/reproducers/tokenizer/* "$data"/engine/tokenizer/tokenizer.json
seed model_config "$data"/engine/*/config.json "$src"/reproducers/model_config/*
seed schema "$data"/schemas/*.json "$root"/resources/demo/*.schema.json
seed dataset "$data"/train/*.jsonl
seed import "$src"/reproducers/import/*
# The import harness reads its format from the first byte: 0 momq-json, 1 spider, 2 defog CSV, 3 text2cypher CSV.
i=0
for f in momq.json spider.json defog.csv text2cypher.csv; do
  { printf "\\$(printf %03o $i)"; cat "$data/import/$f"; } > "$build/corpus/import/fixture-$f"
  i=$((i + 1))
done

status=0
for harness in safetensors tokenizer model_config schema dataset import; do
  log=$build/fuzz_$harness.log
  mkdir -p "$build/findings/$harness"
  if "$build/fuzz_$harness" "$build/corpus/$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$build/findings/$harness/" -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz_$harness: $runs executions in ${seconds} s, no findings"
  else
    echo "fuzz_$harness: FINDING (log: $log)"
    grep -E "ERROR|finding|SUMMARY|==[0-9]+==" "$log" | head -20
    status=1
  fi
done
exit $status
