#!/usr/bin/env bash
# Benchmark `nsi search`, `nsi show` and the index cache on seeded synthetic catalogues of
# 1,000, 10,000 and 100,000 entries, side by side with ripgrep (what a user would otherwise
# reach for to find a word in the catalogue), in one run, and print the ratios.
#
# Usage: bench/search.sh            (from anywhere; see bench/README.md)
#
# Environment:
#   BENCH_DIR=DIR          where to generate the catalogues (kept afterwards)
#   BENCH_SIZES="1000 10000 100000"
#   BENCH_QUERY="domestic abuse"   the two-word query; ripgrep searches its first word
#   BENCH_NO_INSTALL=1     never install anything (hyperfine and ripgrep are needed)
#   BENCH_NSI=PATH         time this nsi binary instead of the one built here (e.g. a copy
#                          of an earlier build, to compare before and after)
#   CARGO_TARGET_DIR       where cargo builds (default: target/ in the repository)
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000 100000}"
QUERY=${BENCH_QUERY:-domestic abuse}
WORD=${QUERY%% *}
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-search-bench.XXXXXX); fi
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
NSI=${BENCH_NSI:-$TARGET/release/nsi}
GEN=$TARGET/release/examples/gen_catalogue
# A cold search starts an index build in the background, which would still be running while
# the next run is timed: off here, and the index is built with `nsi index` where one is wanted.
export NSI_TODAY=2026-11-28 NO_COLOR=1 NSI_INDEX_IN_BACKGROUND=false

step() { printf '\n==> %s\n' "$*" >&2; }

step "tools"
for tool in hyperfine rg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [[ -z ${BENCH_NO_INSTALL:-} ]] && command -v apt-get >/dev/null 2>&1; then
      package=$tool; [[ $tool == rg ]] && package=ripgrep
      apt-get install -y -qq "$package" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$package" >/dev/null; }
    else
      echo "needs $tool" >&2; exit 2
    fi
  fi
done
hyperfine --version >&2; rg --version | sed -n 1p >&2

step "build (release)"
cargo build --release --quiet --bin nsi --example gen_catalogue

results=$WORK/results.tsv
printf 'entries\tmeasure\tmean_s\tstddev_s\tpeak_kb\n' >"$results"

# time NAME ENTRIES PREPARE COMMAND: hyperfine mean and stddev, and peak memory of one run.
measure() {
  local name=$1 entries=$2 prepare=$3 command=$4 runs=${5:-10}
  local json=$WORK/$name-$entries.json
  local args=(--style none --warmup 1 --runs "$runs" --export-json "$json")
  [[ -n $prepare ]] && args+=(--prepare "$prepare")
  hyperfine "${args[@]}" "$command" >/dev/null 2>&1
  [[ -n $prepare ]] && bash -c "$prepare"
  local peak
  peak=$( { /usr/bin/time -f '%M' bash -c "$command" >/dev/null; } 2>&1 | tail -1 )
  python3 - "$json" "$entries" "$name" "$peak" >>"$results" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{data['mean']:.4f}\t{data['stddev'] or 0:.4f}\t{sys.argv[4]}")
PY
}

for n in "${SIZES[@]}"; do
  dir=$WORK/cat$n
  if [[ ! -d $dir/catalogue ]]; then
    step "generate $n entries"
    "$GEN" --entries "$n" --seed 42 --out "$dir" --force >/dev/null
    sync
  fi
  id=$(cd "$dir" && "$NSI" search "$QUERY" --format ids --limit 1)
  hits=$(cd "$dir" && "$NSI" search "$QUERY" --format ids | wc -l)
  files=$(rg -i -l "$WORD" "$dir/catalogue" | wc -l)
  step "$n entries: nsi finds $hits entries for '$QUERY'; rg finds $files files with '$WORD'"
  runs=10; [[ $n -ge 100000 ]] && runs=3
  measure rg "$n" "" "rg -i -l '$WORD' '$dir/catalogue' >/dev/null" "$runs"
  measure search-cold "$n" "rm -rf '$dir/.nsi'" "cd '$dir' && '$NSI' search '$QUERY' --format ids >/dev/null" "$runs"
  measure index "$n" "rm -rf '$dir/.nsi'" "cd '$dir' && '$NSI' index --quiet" "$runs"
  measure search-warm "$n" "" "cd '$dir' && '$NSI' search '$QUERY' --format ids >/dev/null" "$runs"
  measure show "$n" "" "cd '$dir' && '$NSI' show '$id' >/dev/null" "$runs"
  measure validate "$n" "" "cd '$dir' && '$NSI' validate -q >/dev/null" "$runs"
done

step "results ($(nproc) cores, $(date -u +%Y-%m-%d))"
python3 - "$results" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {(r["entries"], r["measure"]): r for r in rows}
print(f"{'entries':>8}  {'measure':<12} {'mean':>9} {'± σ':>8} {'peak MB':>8} {'× rg':>6}")
for r in rows:
    rg = float(by[(r["entries"], "rg")]["mean_s"])
    ratio = float(r["mean_s"]) / rg if rg else 0
    print(f"{int(r['entries']):>8}  {r['measure']:<12} {float(r['mean_s'])*1000:>7.1f}ms {float(r['stddev_s'])*1000:>6.1f}ms "
          f"{int(r['peak_kb'])/1024:>8.1f} {ratio:>6.2f}")
PY
echo "raw figures: $results" >&2
