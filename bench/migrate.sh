#!/usr/bin/env bash
# Benchmark `nsi migrate --dry-run` on a generated catalogue of 10,000 entries written for
# schema 1.0.0 (the generator's 2.0.0 entries with `ai` and `schema_version` taken out), under the
# 2.0.0 schema: every entry is read, migrated in memory and compared, and the impact report is
# built. The target is 2 s. Then checks, on a copy, that `nsi migrate` writes what the dry run
# announced, that a second run changes nothing, and that every migrated entry is valid.
#
# Usage: bench/migrate.sh            (from anywhere; see bench/README.md)
#
# Environment:
#   BENCH_DIR=DIR          where to generate the catalogue (kept afterwards)
#   BENCH_SIZES="10000"    catalogue sizes
#   BENCH_RUNS=10          timed runs (after one warm-up)
#   CARGO_TARGET_DIR       where cargo builds (default: target/ in the repository)
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
read -r -a SIZES <<<"${BENCH_SIZES:-10000}"
RUNS=${BENCH_RUNS:-10}
TARGET_SECONDS=2
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-migrate-bench.XXXXXX); fi
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
NSI=$TARGET/release/nsi
GEN=$TARGET/release/examples/gen_catalogue
export NSI_TODAY=2026-11-28 NO_COLOR=1

step() { printf '\n==> %s\n' "$*" >&2; }

step "build (release)"
cargo build --release --locked --quiet --bin nsi --example gen_catalogue

# Seconds (3 decimals) one run of "$@" takes.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

status=0
for n in "${SIZES[@]}"; do
  dir=$WORK/cat$n
  step "generate $n entries (seed 42) and take them back to schema 1.0.0"
  "$GEN" --entries "$n" --seed 42 --out "$dir" --force >/dev/null
  find "$dir/catalogue" -name '*.yaml' -print0 |
    xargs -0 sed -i -e '/^schema_version:/d' -e '/^ai:$/,/^  use:/d'
  if grep -rqE '^(ai|schema_version):' "$dir/catalogue"; then
    echo "the 1.0.0 catalogue still has 2.0.0 fields" >&2
    exit 1
  fi
  "$NSI" --catalogue "$dir" validate --quiet --format json >"$WORK/validate$n.json" || {
    echo "nsi validate found errors in the 1.0.0 catalogue read through its migration" >&2
    exit 1
  }

  step "nsi migrate --dry-run, $RUNS runs after a warm-up"
  "$NSI" --catalogue "$dir" migrate --dry-run --format json >"$WORK/dry$n.json"
  times=()
  for ((i = 0; i < RUNS; i++)); do
    times+=("$(seconds "$NSI" --catalogue "$dir" migrate --dry-run)")
  done
  read -r mean min max < <(printf '%s\n' "${times[@]}" |
    awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
         END { printf "%.3f %.3f %.3f\n", s / NR, lo, hi }')
  would=$(grep -m1 '"changed"' "$WORK/dry$n.json" | tr -dc '0-9')

  step "nsi migrate on a copy: what the dry run said, then nothing more"
  rm -rf "$dir.migrated"
  cp -r "$dir" "$dir.migrated"
  write_seconds=$(seconds "$NSI" --catalogue "$dir.migrated" migrate)
  changed=$(find "$dir.migrated/catalogue" -name '*.yaml' -newer "$WORK/dry$n.json" | wc -l)
  again=$("$NSI" --catalogue "$dir.migrated" migrate --format json | grep -m1 '"changed"' | tr -dc '0-9')
  "$NSI" --catalogue "$dir.migrated" validate --quiet >/dev/null
  "$NSI" --catalogue "$dir.migrated" fmt --check >/dev/null

  verdict=met
  awk -v m="$mean" -v t="$TARGET_SECONDS" 'BEGIN { exit !(m > t) }' && verdict="NOT met" && status=1
  [[ $would == "$n" && $changed == "$n" && $again == 0 ]] || { verdict="wrong result"; status=1; }
  printf '\n| entries | migrate --dry-run mean (min–max) | migrate (writes) | would change | changed | second run | target ≤ %ss |\n' "$TARGET_SECONDS"
  printf '|---|---|---|---|---|---|---|\n'
  printf '| %s | %s s (%s–%s) | %s s | %s | %s | %s | %s |\n' \
    "$n" "$mean" "$min" "$max" "$write_seconds" "$would" "$changed" "$again" "$verdict"
done
[[ -n ${BENCH_DIR:-} ]] || rm -rf "$WORK"
exit $status
