#!/usr/bin/env python3
"""Fetch lwIP for the network tests the way a user's project gets it: a cmrx
project that adds the registry's `lwip` package, whose upstream URL the
user configuration (CMRX_CONFIG) maps to a local mirror (docs/registry.md,
Mirrors). The registry's URL is not touched; the lock keeps it.

    fetch_lwip.py --cmrx CMRX --mirror .../lwip.git --project DIR

Leaves DIR/packages/lwip and DIR/fetched.stamp.
"""
import argparse
import os
import shutil
import subprocess
import sys

UPSTREAM = "https://github.com/lwip-tcpip/lwip.git"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmrx", required=True)
    ap.add_argument("--mirror", required=True)
    ap.add_argument("--project", required=True)
    a = ap.parse_args()
    project = os.path.abspath(a.project)
    a.cmrx = os.path.abspath(a.cmrx)
    parent = os.path.dirname(project)
    config = os.path.join(parent, "cmrx-config.yaml")
    os.makedirs(parent, exist_ok=True)
    with open(config, "w") as f:
        f.write(f"# Written by tests/net/fetch_lwip.py\nmirrors:\n  {UPSTREAM}: {a.mirror}\n")
    env = dict(os.environ, CMRX_CONFIG=config, XDG_CACHE_HOME=os.path.join(parent, "cache"),
               NO_COLOR="1")
    env.pop("CMRX_REGISTRY", None)
    shutil.rmtree(project, ignore_errors=True)

    def cmrx(*args, cwd):
        r = subprocess.run([a.cmrx, *args], cwd=cwd, env=env, text=True, capture_output=True)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            sys.exit(f"fetch_lwip.py: cmrx {' '.join(args)} failed ({r.returncode})")

    cmrx("new", os.path.basename(project), "--board", "qemu-mps2-an385", "--template", "blank",
         cwd=parent)
    cmrx("add", "lwip", cwd=project)
    if not os.path.isfile(os.path.join(project, "packages", "lwip", "src", "core", "tcp.c")):
        sys.exit("fetch_lwip.py: packages/lwip has no src/core/tcp.c")
    with open(os.path.join(project, "fetched.stamp"), "w") as f:
        f.write("lwip fetched through the mirror\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
