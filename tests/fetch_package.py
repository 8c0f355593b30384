#!/usr/bin/env python3
"""Fetch a third-party registry package for the tests the way a user's
project gets it: a cmrx project that adds the package, whose upstream URL
the user configuration (CMRX_CONFIG) maps to a local mirror
(docs/registry.md, Mirrors). The registry's URL is not touched; the lock
keeps it.

    fetch_package.py --cmrx CMRX --package NAME --upstream URL --mirror PATH
                     --project DIR --expect FILE

Leaves DIR/packages/NAME (which must hold FILE) and DIR/fetched.stamp.
"""
import argparse
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--cmrx", "--package", "--upstream", "--mirror", "--project", "--expect"):
        ap.add_argument(opt, required=True)
    a = ap.parse_args()
    project = os.path.abspath(a.project)
    parent = os.path.dirname(project)
    config = os.path.join(parent, "cmrx-config.yaml")
    os.makedirs(parent, exist_ok=True)
    with open(config, "w") as f:
        f.write(f"# Written by tests/fetch_package.py\nmirrors:\n  {a.upstream}: {a.mirror}\n")
    env = dict(os.environ, CMRX_CONFIG=config, XDG_CACHE_HOME=os.path.join(parent, "cache"),
               NO_COLOR="1")
    env.pop("CMRX_REGISTRY", None)
    shutil.rmtree(project, ignore_errors=True)

    def cmrx(*args, cwd):
        r = subprocess.run([os.path.abspath(a.cmrx), *args], cwd=cwd, env=env, text=True,
                           capture_output=True)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            sys.exit(f"fetch_package.py: cmrx {' '.join(args)} failed ({r.returncode})")

    cmrx("new", os.path.basename(project), "--board", "qemu-mps2-an385", "--template", "blank",
         cwd=parent)
    cmrx("add", a.package, cwd=project)
    if not os.path.isfile(os.path.join(project, "packages", a.package, a.expect)):
        sys.exit(f"fetch_package.py: packages/{a.package} has no {a.expect}")
    with open(os.path.join(project, "fetched.stamp"), "w") as f:
        f.write(f"{a.package} fetched through the mirror\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
