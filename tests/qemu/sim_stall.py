#!/usr/bin/env python3
"""Board host: stop the program three times while its clock runs, and check
that the clock did not jump (tests/qemu/firmware/sim_clock.c).

Usage: sim_stall.py ELF. Passes when the program reports a largest step of
its clock below 5 ms and exits with 0.
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

LIMIT_US = 5000


def main():
    elf = sys.argv[1]
    proc = subprocess.Popen([elf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace")
    killer = threading.Timer(60, proc.kill)
    killer.start()
    out = []
    try:
        for line in proc.stdout:
            out.append(line)
            if "sim_clock: busy" in line:
                for _ in range(3):
                    time.sleep(0.02)
                    os.kill(proc.pid, signal.SIGSTOP)
                    time.sleep(0.2)
                    os.kill(proc.pid, signal.SIGCONT)
        code = proc.wait()
    finally:
        killer.cancel()
    text = "".join(out)
    sys.stdout.write(text)
    m = re.search(r"sim_clock: largest step (\d+) us", text)
    if code != 0 or m is None:
        sys.exit(f"sim_stall: the program ended with {code} and no report")
    step = int(m.group(1))
    if step >= LIMIT_US:
        sys.exit(f"sim_stall: the clock jumped by {step} us while the program was stopped "
                 f"(at most {LIMIT_US} allowed)")
    print(f"sim_stall: three 200 ms stops; the clock's largest step was {step} us")


if __name__ == "__main__":
    main()
