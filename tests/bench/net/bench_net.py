#!/usr/bin/env python3
"""Network benchmark host side: boots net_isolated.elf and net_single.elf
(tests/bench/net) in QEMU with -icount shift=0 and a LAN9118 on QEMU's user
network, drives the same traffic through both from 127.0.0.1 and prints
instructions per unit of work, and what isolation costs as a ratio.

    bench_net.py --machine mps2-an385 --dir BUILD [--runs N]
"""
import argparse
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "net"))
from qemu_net import Board  # noqa: E402

FORWARD = {"echo": ("tcp", 7), "udp": ("udp", 7), "ctl": ("tcp", 9000)}


def control(board, line):
    s = board.connect("ctl", timeout=60)
    s.sendall(line.encode() + b"\n")
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = s.recv(128)
        if not chunk:
            break
        answer += chunk
    s.close()
    return answer.decode().split()


def measure(board, units, run):
    assert control(board, "start") == ["ok"]
    run()
    words = control(board, f"stop {units}")
    assert words[0] == "work", words
    return int(words[1]), int(words[3])


def tcp_echo(board, data):
    s = board.connect("echo")
    s.settimeout(120)
    sent = 0
    got = bytearray()
    s.setblocking(True)
    while sent < len(data):  # in chunks, reading back as we go
        n = s.send(data[sent:sent + 16384])
        sent += n
        while len(got) < sent - 32768:
            got += s.recv(65536)
    while len(got) < len(data):
        chunk = s.recv(65536)
        if not chunk:
            raise AssertionError("the echo connection ended early")
        got += chunk
    s.close()
    assert bytes(got) == data, "the echo differs"


def udp_echo(board, n, size):
    """n datagrams, each sent when the previous one came back; one QEMU's
    user network loses (it happens, rarely) is sent again and counted."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    u.connect(("127.0.0.1", board.ports["udp"]))
    payload = os.urandom(size)
    for _ in range(n):
        for attempt in range(4):
            u.send(payload)
            try:
                assert u.recv(4096) == payload
                break
            except socket.timeout:
                print("(a UDP datagram was lost and sent again)", file=sys.stderr)
        else:
            raise AssertionError("UDP echo: no answer to 4 tries")
    u.close()


def connections(board, n):
    for _ in range(n):
        s = board.connect("echo")
        s.sendall(b"x")
        assert s.recv(1) == b"x"
        s.close()


def run_one(sdk_tool, bsp_dir, elf):
    with Board(sdk_tool, bsp_dir, elf, forward=FORWARD, icount=True) as b:
        try:
            return measure_all(b)
        except Exception:
            sys.stderr.write(f"--- the board's console ({elf}):\n{b.output}\n")
            raise


def measure_all(b):
    b.expect(r"bench: ready", timeout=120)
    data = os.urandom(1 << 20)
    # Warm up (ARP, windows, the host's caches); QEMU's user network may reset
    # the very first connection while the board answers its SYN under -icount.
    for attempt in range(3):
        try:
            tcp_echo(b, os.urandom(64 << 10))
            break
        except ConnectionResetError:
            print("(the warm-up connection was reset; again)", file=sys.stderr)
    else:
        raise AssertionError("the warm-up connection was reset three times")
    r = {}
    w, _ = measure(b, 1024, lambda: tcp_echo(b, data))
    r["tcp"] = w / 1024
    _, r["udp"] = measure(b, 500, lambda: udp_echo(b, 500, 64))
    _, r["conn"] = measure(b, 100, lambda: connections(b, 100))
    control(b, "end")
    b.wait(60)
    return r


def sizes(elf_dir, name):
    import json
    with open(os.path.join(elf_dir, f"{name}.size.json")) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdk-tool", required=True, help="cmrx-sdk, which starts QEMU")
    ap.add_argument("--bsp-dir", required=True, help="the board's folder")
    ap.add_argument("--machine", required=True, help="the board's QEMU machine, for the table")
    ap.add_argument("--dir", required=True, help="the build folder of tests/bench/net")
    a = ap.parse_args()
    res = {}
    for build in ("single", "isolated"):
        t0 = time.monotonic()
        res[build] = run_one(a.sdk_tool, a.bsp_dir, os.path.join(a.dir, f"net_{build}.elf"))
        print(f"({build}: measured in {time.monotonic() - t0:.0f} s)", file=sys.stderr)
    rows = [("TCP echo, per KiB echoed (1 MiB, both directions)", "tcp"),
            ("UDP echo, per 64-byte datagram (request and answer)", "udp"),
            ("TCP connection: connect, 1 byte each way, close", "conn")]
    print(f"| {'instructions on ' + a.machine:<52} | single process | isolated | ratio |")
    print(f"|{'-' * 54}|---:|---:|---:|")
    for label, k in rows:
        s, i = res["single"][k], res["isolated"][k]
        print(f"| {label:<52} | {s:,.0f} | {i:,.0f} | {i / s:.3f} |")
    print()
    iso = sizes(a.dir, "net_isolated")
    one = sizes(a.dir, "net_single")
    print("| process (isolated build) | flash | RAM: data+bss | shared | stacks |")
    print("|---|---:|---:|---:|---:|")
    for p in iso["processes"]:
        print(f"| {p['name']} | {p['flash']:,} | {p['data']['used']:,} | {p['shared']['used']:,} | "
              f"{p['stacks']['used']:,} |")
    print(f"| kernel | {iso['kernel']['flash']:,} | {iso['kernel']['ram']:,} | – | "
          f"{iso['kernel']['stack']:,} |")
    for p in one["processes"]:
        print(f"| single-process build: {p['name']} | {p['flash']:,} | {p['data']['used']:,} | "
              f"{p['shared']['used']:,} | {p['stacks']['used']:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
