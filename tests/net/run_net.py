#!/usr/bin/env python3
"""One network test: boot a firmware of tests/net/firmware in QEMU with a
LAN9118 on QEMU's user network and run a scenario against it from the host
(127.0.0.1 only).

    run_net.py --sdk-tool T --bsp-dir B --elf E --scenario NAME [--expect RE ...]

Passes when the scenario's checks hold, every --expect regular expression
matched the console in order, no "CHECK FAILED" or "KERNEL PANIC" was
printed, and QEMU exited with the firmware's verdict 0.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_net import Board  # noqa: E402
import scenarios  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdk-tool", required=True, help="cmrx-sdk, which starts QEMU")
    ap.add_argument("--bsp-dir", required=True, help="the board's folder")
    ap.add_argument("--elf", required=True)
    ap.add_argument("--scenario", required=True, choices=sorted(scenarios.SCENARIOS))
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    run = scenarios.SCENARIOS[a.scenario]
    board = Board(a.sdk_tool, a.bsp_dir, a.elf, forward=getattr(run, "forward", None))
    failure = None
    with board:
        try:
            for rx in a.expect:
                board.expect(rx, timeout=a.timeout)
            run(board)
            if getattr(run, "ends", True):
                rc = board.wait(a.timeout)
                if rc != 0:
                    failure = f"QEMU exited with {rc}, expected 0"
        except Exception as e:  # noqa: BLE001 - any failure of the host side is the test's
            failure = f"{type(e).__name__}: {e}"
    sys.stdout.write(board.output)
    if failure is None and any(
            bad in board.output for bad in ("CHECK FAILED", "KERNEL PANIC", "ATTACK SUCCEEDED")):
        failure = "the console reports a failed check, a successful attack or a kernel panic"
    if failure:
        print(f"FAILED {a.scenario} on {a.bsp_dir}: {failure}\n  {' '.join(board.cmd)}")
        return 1
    print(f"OK {a.scenario} on {a.bsp_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
