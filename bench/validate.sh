#!/usr/bin/env bash
# Benchmark `nsi validate` on seeded synthetic catalogues (1,000 and 10,000 entries) and, on the
# same files, the schema validators a user would otherwise reach for: check-jsonschema (Python)
# and ajv-cli (Node). Prints a table of mean times and ratios against nsi.
#
# Usage: bench/validate.sh            (from anywhere; see bench/README.md)
#
# Environment:
#   BENCH_DIR=DIR       where to generate the catalogues (default: a new /tmp/nsi-bench.XXXXXX)
#   BENCH_SEED=N        generator seed (default 42)
#   BENCH_SIZES="1000 10000"   catalogue sizes
#   BENCH_NO_INSTALL=1  never install anything; skip tools that are missing
#   BENCH_KEEP=1        keep the generated catalogues (kept anyway when BENCH_DIR is given)
#   BENCH_NO_HYPERFINE=1  time with bash `time` even when hyperfine is available
#   BENCH_NSI_BEFORE=PATH also time this earlier nsi build in the same run (before and after)
#   BENCH_NO_CHECK_JSONSCHEMA=1  skip check-jsonschema (about 50 s a run at 10,000 entries)
#
# The other tools check only the JSON Schema, not nsi's semantic rules (reference slugs, id and
# folder agreement, unique ids, public documents need a URL, dates in the past, contact expiry,
# review due), so the comparison favours them.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
TODAY=2026-11-28 # the generator's default --today; entries are valid on this date
SEED=${BENCH_SEED:-42}
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000}"
if [[ -n ${BENCH_DIR:-} ]]; then
  WORK=$BENCH_DIR
  mkdir -p "$WORK"
  BENCH_KEEP=1
else
  WORK=$(mktemp -d /tmp/nsi-bench.XXXXXX)
fi
cleanup() { [[ -n ${BENCH_KEEP:-} ]] || rm -rf "$WORK"; }
trap cleanup EXIT

NSI=$REPO/target/release/nsi
GEN=$REPO/target/release/examples/gen_catalogue
export NSI_TODAY=$TODAY NO_COLOR=1

step() { printf '\n==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
can_install() { [[ -z ${BENCH_NO_INSTALL:-} ]]; }
use_hyperfine() { [[ -z ${BENCH_NO_HYPERFINE:-} ]] && have hyperfine; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif have sudo; then sudo -n "$@"; else return 1; fi; }

started=$SECONDS

# ---------------------------------------------------------------------------------------------
step "build (release): nsi and the gen_catalogue example"
cargo build --release --quiet --bin nsi --example gen_catalogue
build_seconds=$((SECONDS - started))

step "generate catalogues (seed $SEED) under $WORK"
for n in "${SIZES[@]}"; do
  "$GEN" --entries "$n" --seed "$SEED" --today "$TODAY" --out "$WORK/cat$n" --force
  (cd "$WORK/cat$n" && find catalogue -name '*.yaml' | LC_ALL=C sort >files.txt)
  # Every generated entry must be valid, or the timings would measure error reporting.
  if ! "$NSI" --catalogue "$WORK/cat$n" validate --quiet >"$WORK/check$n.log" 2>&1; then
    echo "nsi validate reported errors on the generated $n-entry catalogue:" >&2
    head -40 "$WORK/check$n.log" >&2
    exit 1
  fi
done
# Flush the freshly written files to disk now, so that background writeback does not slow the
# first timings (it doubled nsi's 1,000-entry time in a trial run).
sync

# ---------------------------------------------------------------------------------------------
step "tools"
if [[ -z ${BENCH_NO_HYPERFINE:-} ]] && ! have hyperfine && can_install && have apt-get; then
  note "installing hyperfine with apt-get"
  as_root apt-get install -y -qq hyperfine >/dev/null 2>&1 ||
    { as_root apt-get update -qq >/dev/null 2>&1 && as_root apt-get install -y -qq hyperfine >/dev/null 2>&1; } ||
    note "could not install hyperfine; falling back to bash time"
fi

PIP=()
if have pip; then PIP=(pip); elif have pip3; then PIP=(pip3); elif have python3 && python3 -m pip --version >/dev/null 2>&1; then PIP=(python3 -m pip); fi
if ! have check-jsonschema && can_install && ((${#PIP[@]})); then
  note "installing check-jsonschema with ${PIP[*]}"
  "${PIP[@]}" install --quiet --disable-pip-version-check check-jsonschema >/dev/null 2>&1 ||
    "${PIP[@]}" install --quiet --disable-pip-version-check --user check-jsonschema >/dev/null 2>&1 ||
    note "could not install check-jsonschema"
  have pyenv && pyenv rehash >/dev/null 2>&1 || true
  PATH=$PATH:$HOME/.local/bin
fi

# ajv-cli reads .yaml data files itself (js-yaml), so it validates the same files as the others.
NODE_MODULES=""
if have npm; then
  NODE_MODULES=$(npm root -g 2>/dev/null || true)
  if can_install && { ! have ajv || ! NODE_PATH=$NODE_MODULES node -e 'require("ajv-formats")' >/dev/null 2>&1; }; then
    note "installing ajv-cli and ajv-formats with npm"
    if ! npm install -g --silent ajv-cli ajv-formats >/dev/null 2>&1; then
      # No write access to the global prefix: install into the work folder instead.
      npm install --silent --prefix "$WORK/node" ajv-cli ajv-formats >/dev/null 2>&1 &&
        NODE_MODULES=$WORK/node/node_modules && PATH=$WORK/node/node_modules/.bin:$PATH ||
        note "could not install ajv-cli"
    fi
  fi
fi
export NODE_PATH=$NODE_MODULES

# name|runs at 1k|runs at 10k|command run inside the catalogue root (files.txt lists the entries)
XARGS_SIZE=$(($(getconf ARG_MAX) / 2))
TOOLS=("nsi validate|10|10|'$NSI' validate --quiet")
if [[ -n ${BENCH_NSI_BEFORE:-} ]]; then
  TOOLS+=("nsi validate (before)|10|10|'$BENCH_NSI_BEFORE' validate --quiet")
fi
SKIPPED=()
tool_ok() { # name, command: does the tool run cleanly on the smallest catalogue?
  (cd "$WORK/cat${SIZES[0]}" && bash -c "$2") >"$WORK/probe.log" 2>&1 && return 0
  note "$1 did not pass the valid catalogue; skipped:"
  SKIPPED+=("$1 (failed on the valid catalogue)")
  sed 's/^/      /' "$WORK/probe.log" | head -5 >&2
  return 1
}
if [[ -n ${BENCH_NO_CHECK_JSONSCHEMA:-} ]]; then
  SKIPPED+=("check-jsonschema (BENCH_NO_CHECK_JSONSCHEMA)")
elif have check-jsonschema; then
  # One process for all files where the argument-length limit allows (xargs splits otherwise).
  cmd="xargs -s $XARGS_SIZE check-jsonschema --schemafile schema/solution.schema.json <files.txt"
  tool_ok check-jsonschema "$cmd" && TOOLS+=("check-jsonschema|3|2|$cmd")
else
  note "check-jsonschema not available; skipped"
  SKIPPED+=("check-jsonschema (not installed)")
fi
if have ajv && node -e 'require("ajv-formats")' >/dev/null 2>&1; then
  # ajv expands the quoted glob itself, so no argument-length limit applies.
  cmd="ajv validate --spec=draft2020 -c ajv-formats -s schema/solution.schema.json -d 'catalogue/*/*.yaml'"
  tool_ok ajv-cli "$cmd" && TOOLS+=("ajv-cli|10|5|$cmd")
else
  note "ajv-cli (with ajv-formats) not available; skipped"
  SKIPPED+=("ajv-cli (ajv-cli or ajv-formats not installed)")
fi

# ---------------------------------------------------------------------------------------------
# Timing. Each function prints one row: name,entries,runs,warmup,mean,stddev,min,user,system
# (seconds; user and system are means per run).
time_hyperfine() {
  local name=$1 n=$2 runs=$3 cmd=$4 csv=$WORK/hf.csv warmup=1
  ((runs < 3)) && warmup=0
  (cd "$WORK/cat$n" && hyperfine --style basic --warmup "$warmup" --runs "$runs" \
    --command-name "$name ($n)" --export-csv "$csv" "$cmd" >&2)
  # hyperfine CSV: command,mean,stddev,median,user,system,min,max
  awk -F, -v name="$name" -v n="$n" -v runs="$runs" -v warmup="$warmup" \
    'NR == 2 { printf "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", name, n, runs, warmup, $2, $3, $7, $5, $6 }' "$csv"
}
time_bash() {
  local name=$1 n=$2 runs=$3 cmd=$4 log=$WORK/times.txt i
  : >"$log"
  printf 'Benchmark: %s (%s), %s runs with bash time\n' "$name" "$n" "$runs" >&2
  for ((i = 0; i < runs; i++)); do
    (
      cd "$WORK/cat$n"
      TIMEFORMAT='%R %U %S'
      { time bash -c "$cmd" >/dev/null 2>&1; } 2>>"$log" || true
    )
  done
  awk -v name="$name" -v n="$n" -v runs="$runs" '
    { r[NR] = $1; sr += $1; su += $2; ss += $3; if (NR == 1 || $1 < min) min = $1 }
    END {
      mean = sr / NR; v = 0
      for (i = 1; i <= NR; i++) v += (r[i] - mean) ^ 2
      sd = NR > 1 ? sqrt(v / (NR - 1)) : 0
      printf "%s,%s,%s,0,%.6f,%.6f,%.6f,%.6f,%.6f\n", name, n, runs, mean, sd, min, su / NR, ss / NR
    }' "$log"
}

# This machine may be shared: measure the CPU that other processes used while each tool was
# timed (all busy CPU time from /proc/stat, less the CPU time of everything this script ran, from
# the `times` builtin), as a share of the machine. Rows above 10% are marked unreliable.
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
CORES=$(nproc 2>/dev/null || echo 1)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat 2>/dev/null || true; }
now() { date +%s.%N; }
# Mark: busy ticks, wall time and this shell's CPU time including waited-for children. `times`
# runs in this shell (a redirection, not a pipe), so it sees every process the script started.
mark() {
  local busy wall
  busy=$(busy_ticks)
  wall=$(now)
  times >"$WORK/times.$1"
  echo "$busy $wall" >>"$WORK/times.$1"
}
background() { # mark0 mark1 -> percent of the machine used by other processes
  awk -v hz="$HZ" -v cores="$CORES" '
    function seconds(t,  p) { split(t, p, "m"); sub("s", "", p[2]); return p[1] * 60 + p[2] }
    FNR <= 2 { own[FILENAME] += seconds($1) + seconds($2) }
    FNR == 3 { busy[FILENAME] = $1; wall[FILENAME] = $2 }
    END {
      a = ARGV[1]; b = ARGV[2]
      if (busy[a] == "" || busy[b] == "" || wall[b] <= wall[a]) { print ""; exit }
      other = (busy[b] - busy[a]) / hz - (own[b] - own[a])
      if (other < 0) other = 0
      printf "%.0f\n", 100 * other / ((wall[b] - wall[a]) * cores)
    }' "$WORK/times.$1" "$WORK/times.$2"
}

mark idle0
sleep 2
mark idle1
idle_bg=$(background idle0 idle1)
[[ -n $idle_bg ]] && note "background CPU use before timing: ${idle_bg}% of $CORES cores"

RESULTS=$WORK/results.csv # the row above, then bg (percent)
: >"$RESULTS"
for n in "${SIZES[@]}"; do
  for spec in "${TOOLS[@]}"; do
    IFS='|' read -r name runs_small runs_large cmd <<<"$spec"
    runs=$([[ $n -ge 10000 ]] && echo "$runs_large" || echo "$runs_small")
    mark start
    if use_hyperfine; then
      step "$name on $n entries ($runs runs, hyperfine)"
      row=$(time_hyperfine "$name" "$n" "$runs" "$cmd")
    else
      ((runs > 5)) && runs=5 # bash time fallback: 5 runs (check-jsonschema keeps 3 and 2)
      step "$name on $n entries ($runs runs, bash time)"
      row=$(time_bash "$name" "$n" "$runs" "$cmd")
    fi
    mark end
    bg=$(background start end)
    echo "$row,$bg" >>"$RESULTS"
    [[ -n $bg && $bg -gt 10 ]] && note "other processes used ${bg}% of the machine during this measurement"
  done
done

# ---------------------------------------------------------------------------------------------
# What each tool catches: a 1,000-entry catalogue with about 10% of entries carrying one error.
step "coverage: files flagged on a catalogue with injected errors"
BAD=$WORK/bad
"$GEN" --entries 1000 --seed "$SEED" --today "$TODAY" --invalid-percent 10 --out "$BAD" --force
(cd "$BAD" && find catalogue -name '*.yaml' | LC_ALL=C sort >files.txt)
injected=$(($(wc -l <"$BAD/injected-errors.tsv") - 1))
COVERAGE=$WORK/coverage.txt
{
  flagged=$(cd "$BAD" && "$NSI" validate --format github 2>/dev/null | sed -n 's/^::error file=\([^,]*\),.*/\1/p' | sort -u | wc -l) || true
  echo "nsi validate|$flagged"
  for spec in "${TOOLS[@]:1}"; do
    IFS='|' read -r name _ _ cmd <<<"$spec"
    case $name in
      "nsi validate (before)") continue ;; # the same checks: only the peers are compared here
      check-jsonschema) pattern='s/^  \(catalogue\/[^:]*\.yaml\)::.*/\1/p' ;;
      ajv-cli) pattern='s/^\(catalogue\/[^ ]*\.yaml\) invalid$/\1/p' ;;
    esac
    flagged=$(cd "$BAD" && bash -c "$cmd" 2>&1 | sed -n "$pattern" | sort -u | wc -l) || true
    echo "$name|$flagged"
  done
} >"$COVERAGE"

# ---------------------------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
{
  echo
  echo "nsi validate benchmark — $(date -u +%Y-%m-%d), $(nproc) cores${cpu:+ ($cpu)}, seed $SEED"
  echo "versions: $("$NSI" --version)$(use_hyperfine && echo ", $(hyperfine --version)")$(have check-jsonschema && echo ", check-jsonschema $(check-jsonschema --version 2>/dev/null | sed 's/.*version //')")$(have ajv && echo ", ajv-cli $(node -p 'require(process.env.NODE_PATH + "/ajv-cli/package.json").version' 2>/dev/null || echo '?')")"
  echo
  printf '%-17s %7s %4s %17s %8s %7s %4s %7s\n' tool entries runs "mean ± σ (s)" "min (s)" "cpu (s)" bg "× nsi"
  printf '%-17s %7s %4s %17s %8s %7s %4s %7s\n' ----------------- ------- ---- ----------------- -------- ------- ---- -------
  awk -F, '
    { name[NR] = $1; n[NR] = $2; runs[NR] = $3; mean[NR] = $5; sd[NR] = $6; min[NR] = $7
      cpu[NR] = $8 + $9; bg[NR] = $10
      if ($1 == "nsi validate") base[$2] = $5 }
    END {
      for (i = 1; i <= NR; i++) {
        ratio = base[n[i]] > 0 ? sprintf("%.1f", mean[i] / base[n[i]]) : "?"
        shown = bg[i] == "" ? "?" : bg[i] "%"
        printf "%-17s %7d %4d %9.3f ± %5.3f %8.3f %7.2f %4s %7s%s\n", name[i], n[i], runs[i], mean[i], sd[i],
          min[i], cpu[i], shown, ratio, (bg[i] != "" && bg[i] > 10) ? "  (!)" : ""
      }
    }' "$RESULTS"
  echo
  echo "cpu = user + system time per run: nsi checks files in parallel on all cores; the others use"
  echo "one. bg = CPU used by other processes while the row was timed, as a share of the machine;"
  echo "(!) marks rows above 10%, whose times may be inflated (least for the one-core tools, whose"
  echo "mean stays close to their cpu time): run again on a quiet machine to be sure."
  ((${#SKIPPED[@]})) && printf 'skipped: %s\n' "${SKIPPED[@]}"
  echo "The other tools check only the JSON Schema, not nsi's semantic rules"
  echo "(reference slugs, ids and folders, unique ids, URLs of public documents, dates), so the"
  echo "comparison favours them. Files each tool flags in a 1,000-entry catalogue where $injected"
  echo "entries carry one injected error (misspelt field, unknown category, bad date, public"
  echo "document without a URL):"
  while IFS='|' read -r name flagged; do
    printf '  %-18s %4s of %s\n' "$name" "$flagged" "$injected"
  done <"$COVERAGE"
  echo
  echo "total time: $((SECONDS - started)) s, of which building $build_seconds s$([[ -n ${BENCH_KEEP:-} ]] && echo "; catalogues kept in $WORK")"
} | tee "$WORK/summary.txt"
