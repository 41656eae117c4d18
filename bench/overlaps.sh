#!/usr/bin/env bash
# Benchmark `nsi overlaps` on seeded synthetic catalogues (1,000 and 10,000 entries by
# default): the whole run with a current search index (what a portfolio lead waits for), and
# the peak memory. The goal is 5 s at 10,000 entries on a 2-core machine.
#
# Usage: bench/overlaps.sh           (from anywhere; about a minute on 2 cores)
#
# Environment:
#   BENCH_DIR=DIR          where to generate the catalogues (kept afterwards)
#   BENCH_SIZES="1000 10000"
#   BENCH_RUNS=5           hyperfine runs per size
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000}"
RUNS=${BENCH_RUNS:-5}
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-overlaps-bench.XXXXXX); fi
NSI=$REPO/target/release/nsi
GEN=$REPO/target/release/examples/gen_catalogue
export NSI_TODAY=2026-11-28 NO_COLOR=1 NSI_INDEX_IN_BACKGROUND=false

step() { printf '\n==> %s\n' "$*" >&2; }

step "tools"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }

step "build (release)"
cargo build --release --quiet --bin nsi --example gen_catalogue

printf '%-8s %10s %10s %10s %8s %8s\n' entries mean_s stddev_s peak_mb groups linked
for n in "${SIZES[@]}"; do
  dir=$WORK/cat$n
  if [[ ! -d $dir/catalogue ]]; then
    "$GEN" --entries "$n" --seed 42 --out "$dir" --force >/dev/null
  fi
  # The index a search leaves behind; overlaps reads rarities from it.
  "$NSI" --catalogue "$dir" index >/dev/null 2>&1
  json=$WORK/overlaps-$n.json
  hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" \
    "$NSI --catalogue $dir overlaps --format json" >/dev/null 2>&1
  peak=$( { /usr/bin/time -f '%M' "$NSI" --catalogue "$dir" overlaps --format json >"$WORK/out-$n.json"; } 2>&1 | tail -1 )
  python3 - "$json" "$n" "$peak" "$WORK/out-$n.json" <<'PY'
import json, sys
timing = json.load(open(sys.argv[1]))["results"][0]
groups = json.load(open(sys.argv[4]))
linked = sum(len(g["entries"]) for g in groups)
print(f"{sys.argv[2]:<8} {timing['mean']:10.3f} {timing['stddev'] or 0:10.3f} {int(sys.argv[3]) / 1024:10.1f} {len(groups):8} {linked:8}")
PY
done
