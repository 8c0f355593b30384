#!/usr/bin/env bash
# cmrx build benchmark: the time from `cmrx new` to the first line the
# firmware prints in QEMU (the hello template on qemu-mps2-an385, in a fresh
# folder with an empty cache), and the tool's own overhead: a no-op
# `cmrx build` against a no-op `ninja` in the same build folder. Prints a
# table of medians; a measurement, not a pass/fail test.
# RUNS=n sets the repetitions of the cold path (default 5; the no-op
# commands run 6 times as often).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 0 "RUNS=n scripts/bench-build.sh" "$@"
runs="${RUNS:-5}"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build cmrx >/dev/null
cmrx="$PWD/build/cli/cmrx"

tmp="$(mktemp -d /tmp/cmrx-bench-build.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
unset CMRX_REGISTRY

python3 - "$cmrx" "$tmp" "$runs" <<'PY'
import os, statistics, subprocess, sys, time

cmrx, tmp, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
board = "qemu-mps2-an385"
rows = []


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def first_line(cwd):
    """Start `cmrx run`; seconds until its first line of stdout, then until it ends."""
    t0 = time.perf_counter()
    p = subprocess.Popen([cmrx, "run"], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    p.stdout.readline()
    t1 = time.perf_counter()
    p.stdout.read()
    assert p.wait() == 0, "cmrx run failed"
    return t1 - t0


cold = {"new": [], "build": [], "run": [], "total": []}
for i in range(runs):
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, f"cache{i}"))
    os.environ.update(env)
    t0 = time.perf_counter()
    run(cmrx, "new", f"demo{i}", "--template", "hello", "--board", board, cwd=tmp)
    t1 = time.perf_counter()
    proj = os.path.join(tmp, f"demo{i}")
    # As a user would type it: build, then run (which finds nothing to build).
    run(cmrx, "build", cwd=proj)
    t2 = time.perf_counter()
    t3 = t2 + first_line(proj)
    for k, v in (("new", t1 - t0), ("build", t2 - t1), ("run", t3 - t2), ("total", t3 - t0)):
        cold[k].append(v)

proj = os.path.join(tmp, "demo0")
bdir = os.path.join(proj, "build", board, "debug")


def timed(args, cwd, n):
    t = []
    for _ in range(n):
        a = time.perf_counter()
        run(*args, cwd=cwd)
        t.append(time.perf_counter() - a)
    return statistics.median(t)


n = 6 * runs
noop = {
    "ninja": timed(["ninja"], bdir, n),
    "cmrx build": timed([cmrx, "build"], proj, n),
    "cmrx size": timed([cmrx, "size"], proj, n),
    "cmrx run (whole firmware)": timed([cmrx, "run"], proj, n),
}

print(f"cmrx build benchmark, hello template on {board}, {os.cpu_count()} cores, "
      f"median of {runs} (cold) and {n} (no-op) runs\n")
print(f"| {'step':<58} | {'ms':>9} |")
print(f"|{'-' * 60}|{'-' * 11}|")
ms = lambda s: f"{s * 1000:9.1f}"
print(f"| {'cold: cmrx new (empty cache)':<58} | {ms(statistics.median(cold['new']))} |")
print(f"| {'cold: cmrx build (configure, compile kernel and processes)':<58} | "
      f"{ms(statistics.median(cold['build']))} |")
print(f"| {'cold: cmrx run, to the first line of firmware output':<58} | "
      f"{ms(statistics.median(cold['run']))} |")
print(f"| {'cold: cmrx new to the first line of firmware output':<58} | "
      f"{ms(statistics.median(cold['total']))} |")
print(f"| {'no-op: ninja in the build folder':<58} | {ms(noop['ninja'])} |")
print(f"| {'no-op: cmrx build (prints the memory table)':<58} | {ms(noop['cmrx build'])} |")
print(f"| {'no-op: cmrx build minus ninja: the tool overhead':<58} | "
      f"{ms(noop['cmrx build'] - noop['ninja'])} |")
print(f"| {'cmrx size':<58} | {ms(noop['cmrx size'])} |")
print(f"| {'cmrx run, nothing to build, firmware to its end':<58} | "
      f"{ms(noop['cmrx run (whole firmware)'])} |")
PY
