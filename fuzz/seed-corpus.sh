#!/bin/sh
# Seed fuzz/corpus/<target>/ with real inputs: the shipped entries and the test fixtures for the
# YAML targets, pairs of entries (one the other with a few edits) for the diff, and a few
# queries with filters for search. Safe to run again: seeds are named by their checksum.
# See docs/fuzzing.md.
set -eu
cd "$(dirname "$0")"
repo=..
mkdir -p corpus/validate_entry corpus/diff_entries corpus/search_query corpus/yaml_fast_path

seed() { # seed TARGET FILE
    cp "$2" "corpus/$1/seed-$(cksum < "$2" | cut -d ' ' -f 1)"
}

find "$repo/catalogue" "$repo/tests/fixtures/entries" "$repo/tests/fixtures/search/catalogue" \
    "$repo/tests/fixtures/hostile/catalogue" -type f -size -64k |
    while read -r file; do seed validate_entry "$file"; seed yaml_fast_path "$file"; done

# diff_entries reads two YAML texts separated by a line `---`.
pair=$(mktemp)
trap 'rm -f "$pair"' EXIT
find "$repo/catalogue" -name '*.yaml' | sort | {
previous=""
while read -r file; do
    { cat "$file"; printf '\n---\n'; sed -e 's/phase: live/phase: beta/' -e 's/level: working/level: expert/' \
        -e 's/^  - \(.*\)$/  - \1 changed/' "$file"; } > "$pair"
    seed diff_entries "$pair"
    if [ -n "$previous" ]; then
        { cat "$previous"; printf '\n---\n'; cat "$file"; } > "$pair"
        seed diff_entries "$pair"
    fi
    previous=$file
done
}

# search_query: the first line is the query; each further line is a filter value whose first
# character picks the filter (its code point modulo 13: 0 category, 1 force, 2 region, 3 phase,
# 4 technology, 5 deployment, 6 role, 7 level, 8 visibility, 9 has-doc, 10 adopted-by,
# 11 limit, 12 explain; a line feed cannot start a line, so adopted-by is \27, 23 mod 13).
for query in 'redaction' 'case file\n\0criminal-justice\n\3live' '"case file" power-bi\n\4python\n\0133' \
    'redcation\n\7practitioner\n\6data' '\n\1kent\n\2south-east' 'the\n\5cloud\n\10public\n\14' \
    'evidence app\n\11dpia\n\27west-midlands'; do
    # The queries are printf formats: their escapes are the filter selectors.
    # shellcheck disable=SC2059
    printf "$query" > "$pair"
    seed search_query "$pair"
done
echo "seeded: $(ls corpus/validate_entry | wc -l) validate_entry, $(ls corpus/diff_entries | wc -l) diff_entries, $(ls corpus/search_query | wc -l) search_query, $(ls corpus/yaml_fast_path | wc -l) yaml_fast_path"
