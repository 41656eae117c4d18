#!/usr/bin/env bash
# Benchmark `nsi export` to HTML, JSON and CSV on a seeded synthetic catalogue of 10,000 entries
# (sizes configurable), then time the HTML site in a real browser (Debian's Chromium through
# tests/browser/export.test.mjs --big): loading the page, and every search, filter and sort,
# which must stay under 100 ms.
#
# Usage: bench/export.sh            (from anywhere; takes about two minutes on 2 cores)
#
# Environment:
#   BENCH_DIR=DIR          where to generate the catalogues and sites (kept afterwards)
#   BENCH_SIZES="10000"    catalogue sizes
#   BENCH_RUNS=5           hyperfine runs per measure
#   BENCH_NO_BROWSER=1     skip the browser timings
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
read -r -a SIZES <<<"${BENCH_SIZES:-10000}"
RUNS=${BENCH_RUNS:-5}
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-export-bench.XXXXXX); fi
NSI=$REPO/target/release/nsi
GEN=$REPO/target/release/examples/gen_catalogue
export NSI_TODAY=2026-11-28 NO_COLOR=1

step() { printf '\n==> %s\n' "$*" >&2; }

step "tools"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
hyperfine --version >&2

step "build (release)"
cargo build --release --quiet --bin nsi --example gen_catalogue

results=$WORK/results.tsv
printf 'entries\tmeasure\tmean_s\tstddev_s\tpeak_kb\toutput_kb\n' >"$results"

# measure NAME ENTRIES OUTPUT COMMAND: hyperfine mean and stddev, peak memory of one run, and
# the size of what it wrote.
measure() {
  local name=$1 entries=$2 output=$3 command=$4
  local json=$WORK/$name-$entries.json
  hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" "$command" >/dev/null 2>&1
  local peak size
  peak=$( { /usr/bin/time -f '%M' bash -c "$command" >/dev/null; } 2>&1 | tail -1 )
  size=$(du -sk "$output" | cut -f1)
  python3 - "$json" "$entries" "$name" "$peak" "$size" >>"$results" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{data['mean']:.4f}\t{data['stddev'] or 0:.4f}\t{sys.argv[4]}\t{sys.argv[5]}")
PY
}

for n in "${SIZES[@]}"; do
  dir=$WORK/cat$n
  if [[ ! -d $dir/catalogue ]]; then
    step "generate $n entries"
    "$GEN" --entries "$n" --seed 42 --out "$dir" --force >/dev/null
    sync
  fi
  step "$n entries: nsi export"
  measure json "$n" "$WORK/nsi-$n.json" "'$NSI' --catalogue '$dir' export --format json --out '$WORK/nsi-$n.json'"
  measure csv "$n" "$WORK/nsi-$n.csv" "'$NSI' --catalogue '$dir' export --format csv --out '$WORK/nsi-$n.csv'"
  measure html "$n" "$WORK/site-$n" "'$NSI' --catalogue '$dir' export --format html --out '$WORK/site-$n'"
  measure html-public "$n" "$WORK/site-public-$n" "'$NSI' --catalogue '$dir' export --format html --audience public --out '$WORK/site-public-$n'"
  # The same site written to memory (tmpfs): most of the html time on disk is the file
  # system creating thousands of files, which this separates from nsi's own work.
  if [[ -d /dev/shm && -w /dev/shm ]]; then
    shm=/dev/shm/nsi-export-bench-site-$n
    measure html-tmpfs "$n" "$shm" "'$NSI' --catalogue '$dir' export --format html --out '$shm'"
    rm -rf "$shm"
  fi
done

step "results ($(nproc) cores, $(date -u +%Y-%m-%d))"
python3 - "$results" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print(f"{'entries':>8}  {'export':<12} {'mean':>9} {'± σ':>8} {'peak MB':>8} {'written MB':>11}")
for r in rows:
    print(f"{int(r['entries']):>8}  {r['measure']:<12} {float(r['mean_s'])*1000:>7.0f}ms {float(r['stddev_s'])*1000:>6.0f}ms "
          f"{int(r['peak_kb'])/1024:>8.1f} {int(r['output_kb'])/1024:>11.1f}")
PY
echo "raw figures: $results" >&2

if [[ -z ${BENCH_NO_BROWSER:-} ]]; then
  n=${SIZES[-1]}
  step "$n entries in Chromium: load, then every search, filter and sort (budget 100 ms each)"
  if [[ ! -d tests/browser/node_modules/playwright-core ]]; then npm ci --prefix tests/browser --no-audit --no-fund; fi
  node tests/browser/export.test.mjs --big "$WORK/site-$n" --timings "$WORK/browser-$n.json"
  echo "browser timings: $WORK/browser-$n.json" >&2
fi
