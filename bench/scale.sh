#!/usr/bin/env bash
# How time and memory grow from 1,000 to 10,000 to 100,000 entries: validate, search (cold:
# no index, so the files that may match are parsed; warm: the index read), `nsi index`, diff of 10 changed entries, stats and export, each on a generated catalogue in a
# git repository. Prints one Markdown table (the one in BENCHMARKS.md): the median wall time
# of RUNS runs and the peak resident memory (GNU time's maximum RSS).
#
# Usage: bench/scale.sh            (from anywhere; about 10 minutes on 2 cores)
#
# Environment:
#   BENCH_DIR=DIR          where to generate the repositories (kept afterwards; bench/diff.sh
#                          uses the same layout, so one BENCH_DIR serves both)
#   BENCH_SIZES="1000 10000 100000"
#   BENCH_RUNS=3
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000 100000}"
RUNS=${BENCH_RUNS:-3}
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-scale-bench.XXXXXX); fi
NSI=$REPO/target/release/nsi
GEN=$REPO/target/release/examples/gen_catalogue
TIME=/usr/bin/time
# No background index builds: one would still be running while the next command is timed.
export NSI_TODAY=2026-11-28 NO_COLOR=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
  NSI_INDEX_IN_BACKGROUND=false
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"

[[ -x $TIME ]] || { echo "needs GNU time at $TIME (apt-get install time)" >&2; exit 2; }
step "build (release)"
cargo build --release --locked --quiet --bin nsi --example gen_catalogue

# measure SETUP COMMAND: median seconds and peak KiB over RUNS runs; SETUP runs before each.
measure() {
  local setup=$1 command=$2 times=() peak=0 out
  for _ in $(seq "$RUNS"); do
    bash -c "$setup"
    $TIME -o "$WORK/.time" -f '%e %M' bash -c "$command" >/dev/null 2>&1 || true
    out=$(tail -n 1 "$WORK/.time")
    times+=("${out%% *}")
    (( ${out##* } > peak )) && peak=${out##* }
  done
  printf '%s %s' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" "$peak"
}

declare -A result
ops=(validate "search, cold" index "search, warm" "diff, 10 changed" stats "export json" "export csv" "export html")
for n in "${SIZES[@]}"; do
  dir=$WORK/repo$n
  make_repo "$n" "$dir"
  site=$WORK/site$n
  c="$NSI --catalogue $dir"
  step "$n entries"
  result[$n,validate]=$(measure true "$c validate --quiet")
  result[$n,search, cold]=$(measure "rm -rf $dir/.nsi/cache" "$c search 'domestic abuse' --format ids --limit 20")
  result[$n,index]=$(measure "rm -rf $dir/.nsi/cache" "$c index --quiet")
  result[$n,search, warm]=$(measure true "$c search 'domestic abuse' --format ids --limit 20")
  result[$n,diff, 10 changed]=$(measure true "$c diff HEAD~1 HEAD --format json")
  result[$n,stats]=$(measure true "$c stats --format json")
  result[$n,export json]=$(measure true "$c export --format json --out $WORK/export$n.json")
  result[$n,export csv]=$(measure true "$c export --format csv --out $WORK/export$n.csv")
  result[$n,export html]=$(measure "rm -rf $site" "$c export --format html --out $site")
  for op in "${ops[@]}"; do echo "  $op: ${result[$n,$op]}" >&2; done
done

fmt_time() { python3 -c "t=float('$1'); print('<10 ms' if t < 0.01 else f'{t*1000:.0f} ms' if t < 1 else f'{t:.2f} s')"; }
fmt_mem() { python3 -c "print(f'{int($1)/1024:.0f} MB')"; }
printf '\n| operation |'; for n in "${SIZES[@]}"; do printf ' %s entries |' "$n"; done; printf '\n|---|'
for _ in "${SIZES[@]}"; do printf -- '---|'; done; printf '\n'
for op in "${ops[@]}"; do
  printf '| %s |' "$op"
  for n in "${SIZES[@]}"; do
    read -r t m <<<"${result[$n,$op]}"
    printf ' %s, %s |' "$(fmt_time "$t")" "$(fmt_mem "$m")"
  done
  printf '\n'
done
