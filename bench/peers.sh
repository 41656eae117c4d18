#!/usr/bin/env bash
# nsi side by side with the tools a user would otherwise reach for, on the same generated
# catalogues and the same schema, in one run:
#   - nsi validate  vs check-jsonschema (PyPI) and ajv-cli + ajv-formats (npm)  bench/validate.sh
#   - nsi search    vs ripgrep (Debian)                                          bench/search.sh
#   - nsi diff      vs git diff --stat                                           bench/diff.sh
#   - nsi's schema verdicts vs check-jsonschema's, file by file                  bench/differential.sh
# Each part installs what it needs where it can (hyperfine and ripgrep with apt-get,
# check-jsonschema with pip, ajv-cli with npm) and prints its own table with the ratios.
# The figures of the last run are in BENCHMARKS.md.
#
# Usage: bench/peers.sh            (about 12 minutes on 2 cores)
#
# Environment: BENCH_DIR=DIR (shared by every part; kept), BENCH_SIZES (default
# "1000 10000"), and each part's own variables (see bench/README.md).
set -euo pipefail

cd "$(dirname "$0")/.."
export BENCH_DIR=${BENCH_DIR:-$(mktemp -d /tmp/nsi-peers.XXXXXX)}
export BENCH_SIZES=${BENCH_SIZES:-1000 10000}

banner() { printf '\n######## %s\n' "$*"; }

banner "machine"
uname -srm
nproc | sed 's/^/cores: /'
grep -m1 'model name' /proc/cpuinfo || true
free -g | awk '/Mem:/ {print "memory: " $2 " GiB"}'

banner "nsi validate vs check-jsonschema and ajv-cli"
bench/validate.sh
banner "nsi search vs ripgrep"
bench/search.sh
banner "nsi diff vs git diff --stat"
bench/diff.sh
banner "schema verdicts: nsi vs check-jsonschema, file by file"
bench/differential.sh
