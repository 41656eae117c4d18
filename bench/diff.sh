#!/usr/bin/env bash
# Benchmark `nsi diff` between two commits of a generated catalogue that differ in 10 entries,
# side by side with `git diff --stat` on the same repository. The diff must cost in proportion
# to the changed entries, not the catalogue: the ratio is printed for 1,000 and 10,000 entries
# (and 100,000 with BENCH_SIZES).
#
# Usage: bench/diff.sh            (from anywhere; see bench/README.md)
#
# Environment:
#   BENCH_DIR=DIR          where to generate the repositories (kept afterwards)
#   BENCH_SIZES="1000 10000"
#   BENCH_NO_INSTALL=1     never install anything (hyperfine is needed)
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000}"
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-diff-bench.XXXXXX); fi
NSI=$REPO/target/release/nsi
GEN=$REPO/target/release/examples/gen_catalogue
export NSI_TODAY=2026-11-28 NO_COLOR=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"

step "tools"
if ! command -v hyperfine >/dev/null 2>&1; then
  if [[ -z ${BENCH_NO_INSTALL:-} ]] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
  else
    echo "needs hyperfine" >&2; exit 2
  fi
fi
hyperfine --version >&2; git --version >&2

step "build (release)"
cargo build --release --locked --quiet --bin nsi --example gen_catalogue

results=()
for n in "${SIZES[@]}"; do
  dir=$WORK/repo$n
  make_repo "$n" "$dir"
  changed=$("$NSI" --catalogue "$dir" diff HEAD~1 HEAD --format json | grep -c '"kind"' || true)
  step "$n entries, $changed changed: nsi diff vs git diff --stat"
  json=$WORK/diff$n.json
  hyperfine --warmup 3 --min-runs 20 --export-json "$json" \
    -n "nsi diff ($n)" "$NSI --catalogue $dir diff HEAD~1 HEAD --format json" \
    -n "git diff --stat ($n)" "git -C $dir diff --stat HEAD~1 HEAD" >&2
  read -r nsi_ms git_ms < <(python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f'{r[0]["mean"]*1000:.1f} {r[1]["mean"]*1000:.1f}')
PY
)
  results+=("$n $nsi_ms $git_ms")
done

printf '\n%-9s %12s %16s %7s\n' entries "nsi diff ms" "git diff --stat ms" ratio
for row in "${results[@]}"; do
  read -r n a b <<<"$row"
  printf '%-9s %12s %16s %7s\n' "$n" "$a" "$b" "$(python3 -c "print(f'{$a/$b:.2f}')")"
done
