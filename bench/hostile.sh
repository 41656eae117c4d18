#!/usr/bin/env bash
# Peak memory and time of every command that reads entries, on hostile entry files as large as
# an entry may be (examples/gen_hostile: one line of aliases, long lines, deep nesting, many
# keys…), and on a file four times over the limit, which must be refused cheaply. Each file is
# on the default branch, and a pull request's branch changes every item of it (so that diff,
# review and history compare two hostile versions).
#
# Usage: bench/hostile.sh          (from anywhere; about two minutes on 2 cores once built)
#
# Figures (2 shared cores, release builds, files of 256 KiB; 24 commands on each shape):
#   before (main without issue 21's content fixes): alias-line reached the 4 GB address-space
#     cap within 3 s in validate, review and publish (3.2 GB resident when stopped);
#     wrong-types-line took 64 s in diff and was stopped at 60 s of CPU in review; the issue's
#     30 KB line of aliases took 342 MB and 4.2 s in validate.
#   after: worst peak 153 MB (wrong-types-line, publish), worst time 0.49 s (wrong-types-line,
#     review --format markdown); alias-line at most 53 MB and 0.26 s; the 30 KB line 19 MB and
#     0.05 s. tests/bounded.rs holds every run to 200 MB.
#
# Environment:
#   BENCH_DIR=DIR        where to generate the files and repositories (kept afterwards)
#   BENCH_NSI=PATH       the nsi binary to measure (default: a release build of this tree),
#                        e.g. an older build, to compare before and after a change
#   BENCH_BYTES=N        size of each hostile file (default 262144, the limit for an entry)
#   BENCH_SHAPES="a b"   only these shapes (default: all of examples/gen_hostile)
#   BENCH_TIMEOUT=S      stop a run after S seconds of CPU time (default 60)
#   BENCH_MEMORY_MB=M    stop a run that maps more than M MB of memory (default 4096)
#
# Peak memory is GNU time's maximum resident set size of one run; time is its elapsed time.
# A run stopped by a cap is reported as `cpu-cap` or `mem-cap` (a failed allocation aborts
# it), with how far it got.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BYTES=${BENCH_BYTES:-262144}
TIMEOUT=${BENCH_TIMEOUT:-60}
MEMORY_MB=${BENCH_MEMORY_MB:-4096}
if [[ -n ${BENCH_DIR:-} ]]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/nsi-hostile-bench.XXXXXX); fi
export NSI_TODAY=2026-11-28 NO_COLOR=1 NSI_INDEX_IN_BACKGROUND=false GIT_CONFIG_GLOBAL=/dev/null
export EDITOR=true VISUAL=true
# nsi runs with a home of its own (cargo, before it, needs the real one for its toolchain).
NSI_HOME=$WORK/home
mkdir -p "$NSI_HOME"

step() { printf '\n==> %s\n' "$*" >&2; }

[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

step "build (release): nsi and the gen_hostile example"
cargo build --release --quiet --bin nsi --example gen_hostile
NSI=${BENCH_NSI:-$TARGET/release/nsi}
GEN=$TARGET/release/examples/gen_hostile
"$NSI" --version >&2 || true

step "generate hostile files of $BYTES bytes under $WORK"
rm -rf "$WORK/files" "$WORK/changed"
"$GEN" --out "$WORK/files" --bytes "$BYTES" >"$WORK/sizes.tsv"
"$GEN" --out "$WORK/changed" --bytes "$BYTES" --changed >/dev/null
read -r -a SHAPES <<<"${BENCH_SHAPES:-$(cut -f1 "$WORK/sizes.tsv" | tr '\n' ' ')}"
# One file four times over the limit (a valid entry, then a long description): refused unread.
{ sed -n '1,/^last_reviewed/p' "$WORK/files/catalogue/kent/many-keys.yaml" | sed 's/^id: .*/id: over-limit/'
  printf 'description: |\n'
  head -c $((4 * BYTES)) < <(yes '  padding padding padding padding padding padding padding'); } \
  >"$WORK/files/catalogue/kent/over-limit.yaml"
sed 's/padding/changing/' "$WORK/files/catalogue/kent/over-limit.yaml" >"$WORK/changed/catalogue/kent/over-limit.yaml"
SHAPES+=(over-limit)

git_q() { git -c user.name=Bench -c user.email=bench@x.example "$@"; }

# repo SHAPE: a repository whose main branch holds one valid entry and the hostile file, and
# whose branch `hostile` changes every item of it (committed, and in the working tree), with a
# bare remote to publish to.
repo() {
  local shape=$1 dir=$WORK/repo-$1
  rm -rf "$dir" "$dir.git"
  mkdir -p "$dir/catalogue/kent"
  cp -r "$WORK/files/schema" "$dir/schema"
  sed -n '1,/^last_reviewed/p' "$WORK/files/catalogue/kent/many-keys.yaml" |
    sed 's/^id: .*/id: valid-entry/' >"$dir/catalogue/kent/valid-entry.yaml"
  cp "$WORK/files/catalogue/kent/$shape.yaml" "$dir/catalogue/kent/$shape.yaml"
  git_q -C "$dir" init -q -b main
  git_q -C "$dir" add -A
  git_q -C "$dir" commit -q -m base
  git init -q --bare "$dir.git"
  git -C "$dir" remote add origin "file://$dir.git"
  git_q -C "$dir" push -q origin main 2>&1 >&2
  git_q -C "$dir" checkout -q -b hostile
  cp "$WORK/changed/catalogue/kent/$shape.yaml" "$dir/catalogue/kent/$shape.yaml"
  git_q -C "$dir" commit -q --allow-empty -am "change $shape" >&2
  echo "$dir"
}

results=$WORK/results.tsv
printf 'shape\tcommand\texit\tpeak_kb\tseconds\n' >"$results"

# measure SHAPE NAME ARGS...: one run of nsi in the shape's repository, under the caps.
measure() {
  local shape=$1 name=$2
  shift 2
  local log=$WORK/run.log code peak seconds
  set +e
  rm -f "$WORK/time.txt"
  # The caps are limits on the process itself (CPU seconds and address space), so that GNU
  # time, its parent, still sees how far a run that hit them got; the outer timeout only
  # catches a run that waits without using the CPU.
  (
    cd "$dir" || exit 2
    ulimit -v $((MEMORY_MB * 1024))
    ulimit -t "$TIMEOUT"
    HOME=$NSI_HOME timeout -s KILL $((TIMEOUT * 3)) /usr/bin/time -o "$WORK/time.txt" -f '%M %e %x' \
      "$NSI" "$@" >"$log" 2>&1 </dev/null
  )
  code=$?
  set -e
  read -r peak seconds code < <(tail -1 "$WORK/time.txt" 2>/dev/null | grep -E '^[0-9]+ [0-9.]+ [0-9]+$' ||
    echo "0 $((TIMEOUT * 3)) hung")
  # A run ended by a signal: GNU time says which on a line of its own.
  case $(grep -o 'terminated by signal [0-9]*' "$WORK/time.txt" 2>/dev/null) in
    '') ;;
    *'signal 24' | *'signal 9') code=cpu-cap ;;
    *'signal 6') code=mem-cap ;;
    *) code=signal ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\n' "$shape" "$name" "$code" "$peak" "$seconds" >>"$results"
  printf '  %-20s %-16s exit %-6s %8.1f MB %7.2f s\n' "$shape" "$name" "$code" "$(awk "BEGIN { print $peak / 1024 }")" "$seconds" >&2
}

for shape in "${SHAPES[@]}"; do
  step "$shape"
  dir=$(repo "$shape")
  file=catalogue/kent/$shape.yaml
  measure "$shape" validate validate "$file"
  measure "$shape" validate-json validate --format json "$file"
  measure "$shape" validate-github validate --format github "$file"
  measure "$shape" validate-all validate
  measure "$shape" review review main hostile
  measure "$shape" review-md review main hostile --format markdown
  measure "$shape" review-json review main hostile --format json
  measure "$shape" diff diff main hostile
  measure "$shape" show show "$shape"
  measure "$shape" show-json show "$shape" --format json
  rm -rf "$dir/.nsi"
  measure "$shape" search search video --format json
  measure "$shape" index index
  measure "$shape" similar similar "$shape"
  measure "$shape" stats stats
  measure "$shape" stale stale
  measure "$shape" history history "$shape"
  measure "$shape" export-json export --format json --out "$WORK/export.json"
  measure "$shape" export-csv export --format csv --out "$WORK/export.csv"
  measure "$shape" export-html export --format html --out "$WORK/site"
  measure "$shape" fmt-check fmt --check
  sed "s/^id: $shape\$/id: $shape-copy/" "$dir/$file" >"$WORK/add-from.yaml"
  measure "$shape" add-from add --from "$WORK/add-from.yaml"
  measure "$shape" edit edit "$shape"
  measure "$shape" publish publish "$shape"
  measure "$shape" fmt fmt
done

step "results ($(nproc) cores, $(date -u +%Y-%m-%d), files of $BYTES bytes)"
python3 - "$results" "$TIMEOUT" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for r in rows:
    r["mb"] = int(r["peak_kb"]) / 1024
    r["s"] = float(r["seconds"])
shapes = list(dict.fromkeys(r["shape"] for r in rows))
print(f"{'shape':<20} {'worst peak':>10} {'(command)':<16} {'worst time':>10} {'(command)':<16}")
for shape in shapes:
    mine = [r for r in rows if r["shape"] == shape]
    m = max(mine, key=lambda r: r["mb"])
    t = max(mine, key=lambda r: r["s"])
    print(f"{shape:<20} {m['mb']:>8.1f}MB {m['command']:<16} {t['s']:>9.2f}s {t['command']:<16}")
m = max(rows, key=lambda r: r["mb"])
t = max(rows, key=lambda r: r["s"])
killed = [r for r in rows if r["exit"] in ("cpu-cap", "mem-cap", "hung", "signal")]
print(f"\nworst peak memory: {m['mb']:.1f} MB ({m['shape']}, nsi {m['command']})")
print(f"worst time:        {t['s']:.2f} s ({t['shape']}, nsi {t['command']})")
if killed:
    print(f"stopped by the caps ({sys.argv[2]} s of CPU or the memory limit): "
          + ", ".join(f"{r['shape']}/{r['command']}" for r in killed))
panics = [r for r in rows if r["exit"] == "101"]
if panics:
    print("PANICKED: " + ", ".join(f"{r['shape']}/{r['command']}" for r in panics))
PY
echo "(all runs: $results)" >&2
