#!/usr/bin/env bash
# nsi's schema verdicts against check-jsonschema's, file by file, on the same files and the
# same schema: a generated catalogue with injected errors, and the hostile corpus. A file is
# "rejected by the schema" for nsi when it draws a YAML or schema finding (NSI0xx other than
# placement, NSI1xx, NSI215), semantic rules (NSI2xx) aside. Prints the agreement and every
# disagreement with nsi's finding, so each can be explained.
#
# Usage: bench/differential.sh     (needs check-jsonschema: pip install check-jsonschema)
#
# Environment: BENCH_DIR=DIR (where to work; kept), BENCH_ENTRIES=1000.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
WORK=${BENCH_DIR:-$(mktemp -d /tmp/nsi-differential.XXXXXX)}/differential
NSI=$REPO/target/release/nsi
GEN=$REPO/target/release/examples/gen_catalogue
export NSI_TODAY=2026-11-28 NO_COLOR=1

command -v check-jsonschema >/dev/null || pip install --quiet check-jsonschema
cargo build --release --locked --quiet --bin nsi --example gen_catalogue
rm -rf "$WORK" && mkdir -p "$WORK"

# 1. A generated catalogue, about 10% of entries with one injected error each.
"$GEN" --entries "${BENCH_ENTRIES:-1000}" --seed 42 --invalid-percent 10 --out "$WORK/generated" --force >/dev/null
# 2. The hostile corpus: every regular .yaml file under 1 MB, in a catalogue root of its own.
mkdir -p "$WORK/hostile/catalogue/kent"
cp -r "$REPO/schema" "$WORK/hostile/"
while IFS= read -r -d '' file; do
  cp "$file" "$WORK/hostile/catalogue/kent/"
done < <(find "$REPO/tests/fixtures/hostile" -type f -name '*.yaml' -size -1024k -print0 2>/dev/null | sort -z)

for set in generated hostile; do
  root=$WORK/$set
  (cd "$root" && find catalogue -type f -name '*.yaml' | LC_ALL=C sort >files.txt)
  (cd "$root" && xargs -a files.txt "$NSI" --catalogue . validate --format json >nsi.json 2>/dev/null || true)
done
# The generated files in one check-jsonschema process.
(cd "$WORK/generated" && xargs -a files.txt check-jsonschema --schemafile schema/solution.schema.json -o json >cj.json 2>/dev/null || true)
# The hostile files one process each, within 20 s and 2 GiB: in one process a YAML bomb takes
# check-jsonschema down (killed for memory) and every other verdict with it. Exit 0 = accepted,
# 1 = rejected, anything else = crashed or ran out of time or memory (counted as a rejection).
(cd "$WORK/hostile" && while IFS= read -r file; do
  code=0
  (ulimit -v 2097152; timeout 20 check-jsonschema --schemafile schema/solution.schema.json "$file" >/dev/null 2>&1) || code=$?
  printf '%s\t%s\n' "$code" "$file"
done <files.txt >cj-exit.tsv)

python3 - "$WORK" <<'PY'
import json, sys, collections
work = sys.argv[1]
placement = {"NSI012", "NSI013"}
def schema_code(code):
    # NSI215 (a key with no value) is the schema's wrong-type error, named for what it means.
    return (code.startswith("NSI0") and code not in placement) or code.startswith("NSI1") or code == "NSI215"
total_agree = total = 0
for name in ("generated", "hostile"):
    root = f"{work}/{name}"
    files = [l.strip() for l in open(f"{root}/files.txt") if l.strip()]
    nsi = json.load(open(f"{root}/nsi.json"))
    codes = collections.defaultdict(set)
    for d in nsi["diagnostics"]:
        codes[d["file"]].add(d["code"])
    crashed = set()
    if name == "hostile":
        cj_bad = set()
        for line in open(f"{root}/cj-exit.tsv"):
            code, f = line.rstrip("\n").split("\t", 1)
            if code != "0":
                cj_bad.add(f)
            if code not in ("0", "1"):
                crashed.add(f)
    else:
        cj = json.load(open(f"{root}/cj.json"))
        cj_bad = {e["filename"] for e in cj.get("errors", [])}
        cj_bad |= {e.get("filename", "") for e in cj.get("parse_errors", [])}
    agree = 0
    disagreements = collections.Counter()
    examples = {}
    for f in files:
        n = any(schema_code(c) for c in codes.get(f, ()))
        c = f in cj_bad
        if n == c:
            agree += 1
        else:
            key = ("nsi rejects, check-jsonschema accepts" if n else "check-jsonschema rejects, nsi accepts",
                   ",".join(sorted(x for x in codes.get(f, ()) if schema_code(x))) or "-")
            disagreements[key] += 1
            examples.setdefault(key, f)
    total += len(files); total_agree += agree
    print(f"{name}: {len(files)} files, same verdict on {agree} ({100*agree/max(len(files),1):.1f}%)")
    if crashed:
        print(f"  check-jsonschema crashed, timed out or ran out of memory on {len(crashed)}: {', '.join(sorted(crashed)[:5])}")
    for (side, code), count in sorted(disagreements.items()):
        print(f"  {count:4d}  {side}  nsi: {code}  e.g. {examples[(side, code)]}")
print(f"overall: {total_agree} of {total} files agree")
PY
