"""Boot firmware in QEMU with a LAN9118 on QEMU's user network, and talk to
it from the host through forwarded ports on 127.0.0.1 only.

    with Board(sdk_tool, bsp_dir, elf, forward={"echo": ("tcp", 7)}) as b:
        b.expect(r"net: up ")
        s = b.connect("echo")

QEMU is started by the SDK helper (`cmrx-sdk qemu --net`), with the
command line `cmrx run --net` uses. Host ports are picked free at start
(so parallel runs do not collide) and QEMU is asked to listen on them; the console (the board's UART on QEMU's
stdio) is read by a thread, kept whole in `output`. The firmware's verdict
is QEMU's exit code (semihosting exit from the kernel).
"""
import os
import re
import socket
import subprocess
import threading
import time


def free_ports(kinds):
    """Distinct ports on 127.0.0.1 nobody listens on now, one per kind
    ("tcp", "udp") of @p kinds, for QEMU to bind next. Each stays bound
    until all are chosen: a port closed at once may be handed out again
    by the next bind (two forwards on one port, which QEMU refuses)."""
    held = []
    try:
        for kind in kinds:
            s = socket.socket(socket.AF_INET,
                              socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
            held.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


class Board:
    def __init__(self, sdk_tool, bsp_dir, elf, forward=None, icount=False):
        self.ports = {}
        cmd = [sdk_tool, "qemu", "--net"]
        forward = forward or {}
        hosts = free_ports([kind for kind, _ in forward.values()])
        for (name, (kind, guest)), host in zip(forward.items(), hosts):
            self.ports[name] = host
            cmd += ["--forward", f"{kind}:{host}:{guest}"]
        if icount:
            cmd += ["--icount"]
        cmd += [bsp_dir, elf]
        self.cmd = cmd
        self.output = ""
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._pos = 0

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                break
            with self._cond:
                self.output += chunk.decode("utf-8", "replace").replace("\r", "")
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def expect(self, regex, timeout=30.0, anywhere=False):
        """Wait until the console shows @p regex after what was matched last
        (or @p anywhere in it, for lines whose order is not fixed); return the
        match."""
        rx = re.compile(regex, re.S)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = rx.search(self.output, 0 if anywhere else self._pos)
                if m:
                    if not anywhere:
                        self._pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"console never showed /{regex}/ (QEMU "
                                         f"{'exited ' + str(self.proc.returncode) if self.proc.poll() is not None else 'running'})")
                self._cond.wait(min(left, 0.5))

    def connect(self, name, timeout=10.0):
        """A TCP connection to the guest port forwarded as @p name."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return socket.create_connection(("127.0.0.1", self.ports[name]), timeout=timeout)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def udp(self, timeout=5.0):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(timeout)
        s.connect(("127.0.0.1", self.ports["udp"]))
        return s

    def wait(self, timeout=60.0):
        """Wait for QEMU to end; return its exit code."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"QEMU did not exit within {timeout} s")
        self._reader.join(5)
        return rc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(5)
        return False
