#!/usr/bin/env bash
# cmrx benchmark: wall time of everyday commands against a local registry
# (throw-away git repositories in a temporary folder; the kernel and board
# come from this SDK checkout). Prints a table of medians; it is a
# measurement, not a pass/fail test. RUNS=n sets the repetitions (default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 0 "RUNS=n scripts/bench-cli.sh" "$@"
sdk="$PWD"
runs="${RUNS:-15}"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build cmrx >/dev/null
cmrx="$sdk/build/cli/cmrx"

tmp="$(mktemp -d /tmp/cmrx-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export HOME="$tmp/home" NO_COLOR=1
unset CMRX_REGISTRY
mkdir -p "$HOME"

# Three components of 20 files each, tagged 1.0.0 and 1.1.0.
for c in alpha beta gamma; do
    w="$tmp/src/$c"
    mkdir -p "$w"
    git -C "$w" init -q -b main
    for v in 1.0.0 1.1.0; do
        for i in $(seq 1 20); do echo "int ${c}_$i = 0x${v//./};" >"$w/f$i.c"; done
        git -C "$w" add -A && git -C "$w" commit -qm "$v" && git -C "$w" tag "$v"
    done
    git clone -q --bare "$w" "$tmp/remotes/$c.git"
done
reg="$tmp/registry"
mkdir -p "$reg"
comp() {
    printf '{"name": "%s", "kind": "component", "description": "bench", "versions": [
      {"version": "1.0.0", "git": "%s"}, {"version": "1.1.0", "git": "%s"}]}' \
        "$1" "$tmp/remotes/$1.git" "$tmp/remotes/$1.git"
}
cat >"$reg/index.json" <<JSON
{"schema": 1, "packages": [
  {"name": "kernel", "kind": "kernel", "description": "kernel", "versions": [
    {"version": "0.1.0", "git": "$sdk", "branch": "HEAD", "subdir": "kernel"}]},
  {"name": "qemu-mps2-an385", "kind": "bsp", "description": "board", "versions": [
    {"version": "0.1.0", "git": "$sdk", "branch": "HEAD", "subdir": "bsp/qemu-mps2-an385",
     "cpu": "cortex-m3"}]},
  {"name": "blank", "kind": "template", "description": "one process", "versions": [
    {"version": "0.1.0", "git": "$sdk", "branch": "HEAD", "subdir": "templates/blank"}]},
  $(comp alpha), $(comp beta), $(comp gamma)
]}
JSON
export CMRX_REGISTRY="$reg"

now() { date +%s%N; }
# measure LABEL SETUP COMMAND: median wall time of COMMAND over $runs runs,
# SETUP (untimed) before each run.
results=()
measure() {
    local label="$1" setup="$2" cmd="$3" t=()
    for _ in $(seq 1 "$runs"); do
        eval "$setup" >/dev/null 2>&1
        local a b
        a=$(now)
        eval "$cmd" >/dev/null 2>&1 || { echo "bench: '$cmd' failed" >&2; exit 1; }
        b=$(now)
        t+=($(((b - a) / 1000)))
    done
    local med
    med=$(printf '%s\n' "${t[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    results+=("$(awk -v l="$label" -v us="$med" 'BEGIN { printf "| %-52s | %9.1f |", l, us / 1000 }')")
}

warm="$tmp/cache-warm"
cold="$tmp/cache-cold"
cd "$tmp"
export XDG_CACHE_HOME="$warm"
"$cmrx" new base --template blank >/dev/null 2>&1
"$cmrx" -C base add alpha beta gamma >/dev/null 2>&1
(cd base && git init -q -b main && git add -A && git commit -qm base)

measure "cmrx --help" ":" "$cmrx --help"
measure "cmrx new (warm cache)" "rm -rf p" "$cmrx new p --template blank"
measure "cmrx new (cold cache)" "rm -rf p $cold" "XDG_CACHE_HOME=$cold $cmrx new p --template blank"
measure "cmrx add, local registry (warm cache)" \
    "rm -rf p; cp -a base p; (cd p && $cmrx remove gamma)" "(cd p && $cmrx add gamma)"
measure "cmrx add, local registry (cold cache)" \
    "rm -rf p $cold; cp -a base p; (cd p && $cmrx remove gamma)" \
    "(cd p && XDG_CACHE_HOME=$cold $cmrx add gamma)"
measure "cmrx fetch, 5-package lock, fresh clone (warm cache)" \
    "rm -rf p; git clone -q base p" "(cd p && $cmrx fetch)"
measure "cmrx fetch, 5-package lock, fresh clone (cold cache)" \
    "rm -rf p $cold; git clone -q base p" "(cd p && XDG_CACHE_HOME=$cold $cmrx fetch)"
measure "cmrx fetch, 5-package lock, nothing to do" "rm -rf p; cp -a base p" "(cd p && $cmrx fetch)"
# The floor set by the file system: copying the same packages/ folder.
measure "for scale: cp -a of that packages/ ($(find base/packages -type f | wc -l) files)" \
    "rm -rf q" "cp -a base/packages q"

echo "cmrx wall time, median of $runs runs, local registry on $(nproc) cores"
echo
printf '| %-52s | %9s |\n' "command" "ms"
printf '|%s|%s|\n' "------------------------------------------------------" "-----------"
printf '%s\n' "${results[@]}"
