# Shared by the benchmark scripts: source it after setting REPO, NSI and GEN.

step() { printf '\n==> %s\n' "$*" >&2; }

# make_repo N DIR: a generated catalogue of N entries (seed 42) in a git repository whose
# last commit changes 10 entries (five reviews re-dated, five tags added).
make_repo() {
  local n=$1 dir=$2
  [[ -d $dir/.git ]] && return 0
  step "generate $n entries in a git repository at $dir"
  "$GEN" --entries "$n" --seed 42 --out "$dir" --force >/dev/null
  git -C "$dir" init -q -b main
  git -C "$dir" add -A
  git -C "$dir" -c user.name=Bench -c user.email=b@x.example commit -q -m base
  local files
  mapfile -t files < <(find "$dir/catalogue" -name '*.yaml' | sort | head -n 10)
  for f in "${files[@]:0:5}"; do sed -i "s/^last_reviewed: .*/last_reviewed: '2026-11-01'/" "$f"; done
  for f in "${files[@]:5:5}"; do sed -i 's/^tags:$/tags:\n  - benchmarked/' "$f"; done
  git -C "$dir" -c user.name=Bench -c user.email=b@x.example commit -q -am "ten changes"
  git -C "$dir" gc -q 2>/dev/null || true
}
