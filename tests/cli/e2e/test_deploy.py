"""Replacing one process of a running firmware (docs/updating.md), end to
end on QEMU mps2-an385 and -an505: a project with a heartbeat, an updatable
service at version 1, a client calling it in a loop and the updater
component runs in `cmrx run`; `cmrx deploy svc` sends version 2 into it and
the client sees version 2's answers while the heartbeat never stops and the
firmware never reboots. Every refused case leaves version 1 answering and
says why: a flipped byte, a truncated transfer, another board, an image too
large for the reservation, a damaged frame (resent), a transfer cut
midway, a process that is not updatable or does not exist; after version 2,
an older version and one that drops an interface are refused by `cmrx
deploy` with the firmware's reason, and version 3 goes into slot A.

The bad transfers are sent by a client of the updater's protocol written
here from its description (components/updater/README.md), not by cmrx."""
import os
import pty
import re
import select
import signal
import socket
import struct
import subprocess
import termios
import threading
import time
import unittest
import zlib

from harness import CMRX, WorldTest, write

BUILD = 600

SVC_H = """#ifndef SVC_H
#define SVC_H
#include <cmrx/cmrx.h>
#include <cmrx/update.h>
struct svc;
struct svc_vtable {
    int (*version)(struct svc *self);
    int (*add)(struct svc *self, int a, int b);
};
/* The same methods under another type name: another interface. */
struct svc_vtable_v3 {
    int (*version)(struct svc *self);
    int (*add)(struct svc *self, int a, int b);
};
struct svc {
    const struct svc_vtable *vtable;
    unsigned calls;
};
extern struct svc svc_service;
extern volatile unsigned beats;
#endif
"""

SVC_C = """#include "svc.h"
static int version(struct svc *self) { self->calls++; return VERSION; }
static int add(struct svc *self, int a, int b) { self->calls++; return a + b + BONUS; }
#if IFACE3 /* (a macro in CMRX_VTABLE's type would be named as written) */
CMRX_VTABLE(struct svc_vtable_v3, svc_vtable) = {version, add};
#else
CMRX_VTABLE(struct svc_vtable, svc_vtable) = {version, add};
#endif
CMRX_SERVICE struct svc svc_service = {(const struct svc_vtable *)(const void *)&svc_vtable, 0};
static int svc_main(void *arg)
{
    (void)arg;
    cmrx_printf("svc: version %d ready\\n", VERSION);
    return 0;
}
CMRX_THREAD(svc_main, NULL);
"""

CLIENT_C = """#include "svc.h"
static int client_main(void *arg)
{
    (void)arg;
    int last = 0;
    unsigned dead = 0;
    for (;;) {
        int v = cmrx_rpc_call(&svc_service, version);
        if (v < 0) {
            dead++;
        } else if (v != last) {
            cmrx_printf("client: version %d answers (40 + 2 = %d) after %u refused calls\\n", v,
                        cmrx_rpc_call(&svc_service, add, 40, 2), dead);
            last = v;
        }
        cmrx_usleep(2000);
    }
    return 0;
}
CMRX_THREAD(client_main, NULL);
"""

BEAT_C = """#include <cmrx/cmrx.h>
static int beat_main(void *arg)
{
    (void)arg;
    for (unsigned n = 1;; n++) {
        cmrx_printf("beat %u\\n", n);
        cmrx_usleep(100000);
    }
    return 0;
}
CMRX_THREAD(beat_main, NULL);
"""

YAML = """name: fleet
board: {board}
kernel: ^0.1
dependencies:
processes:
  - name: beat
    sources: [src/beat.c]
    threads: 1
    priority: 12
  - name: svc
    sources: [src/svc.c]
    threads: 1
    priority: 10
    flash_reserve: {reserve}
    ram_reserve: 1K
    version: {version}
    defines: [VERSION={version}, BONUS={bonus}, IFACE3={iface3}]
  - name: client
    sources: [src/client.c]
    threads: 1
    priority: 14
"""

# The updater's protocol (components/updater/README.md).
HELLO, WRITE, COMMIT, REPLY, BADFRAME = 1, 2, 3, 0x80, 0xFF
CMRX_ENOSYS, CMRX_EBADIMAGE, ENOPROCESS, ENOTUPDATABLE = -7, -12, -200, -201
IMAGE_NAME, IMAGE_SIZE, IMAGE_BOARD = 48, 40, 64


def frame(kind, seq, payload):
    body = struct.pack("<BBH", kind, seq, len(payload)) + payload
    return b"CU" + body + struct.pack("<I", zlib.crc32(body))


class Updater:
    """A client of the updater on QEMU's TCP port of uart1."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.seq = 100
        self.buf = b""

    def close(self):
        self.s.close()

    def read_frame(self):
        while True:
            i = self.buf.find(b"CU")
            if i >= 0 and len(self.buf) >= i + 6:
                n = struct.unpack("<H", self.buf[i + 4:i + 6])[0]
                if len(self.buf) >= i + 6 + n + 4:
                    kind, seq = self.buf[i + 2], self.buf[i + 3]
                    payload = self.buf[i + 6:i + 6 + n]
                    body = self.buf[i + 2:i + 6 + n]
                    crc = struct.unpack("<I", self.buf[i + 6 + n:i + 10 + n])[0]
                    self.buf = self.buf[i + 10 + n:]
                    assert crc == zlib.crc32(body), "a reply with a bad CRC"
                    return kind, seq, payload
            chunk = self.s.recv(4096)
            if not chunk:
                raise EOFError("the updater's port closed")
            self.buf += chunk

    def send_raw(self, data):
        self.s.sendall(data)

    def request(self, kind, payload, damage=False):
        """Send a request (first damaged, if asked: then the updater asks
        for it again) and return (status, rest of the reply)."""
        self.seq = (self.seq + 1) % 256
        good = frame(kind, self.seq, payload)
        if damage:
            bad = bytearray(good)
            bad[-1] ^= 0xFF
            self.send_raw(bytes(bad))
            k, _, _ = self.read_frame()
            assert k == BADFRAME, f"a damaged frame was answered with {k:#x}"
        self.send_raw(good)
        while True:
            k, seq, p = self.read_frame()
            if k == REPLY | kind and seq == self.seq:
                return struct.unpack("<i", p[:4])[0], p[4:]

    def hello(self, name):
        return self.request(HELLO, name.encode())

    def send(self, image, upto=None):
        end = len(image) if upto is None else upto
        for off in range(0, end, 256):
            st, _ = self.request(WRITE, struct.pack("<I", off) + image[off:min(off + 256, end)])
            assert st == 0, f"write at {off} refused: {st}"

    def commit(self):
        st, why = self.request(COMMIT, struct.pack("<I", 0))
        return st, why.decode()


class DeployBase(WorldTest):
    board = None
    uart = "uart1"  # the updater's (bsp.yaml), which `cmrx run` offers
    reserve = 8192  # svc's flash_reserve: whole erase units of the board's flash

    def setUp(self):
        if self.board is None:
            self.skipTest("the board-independent base class")
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # this SDK's registry (its updater component)
        self.run = None

    def tearDown(self):
        if self.run is not None and self.run.poll() is None:
            os.killpg(self.run.pid, signal.SIGKILL)
            self.run.communicate(timeout=30)

    def start(self):
        """cmrx run in the background: the port of uart1 it says, once the
        client sees version 1."""
        self.run = subprocess.Popen([CMRX, "run"], cwd=self.p, env=self.w.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
        # Its stderr, read all along (the build writes there too).
        self.err = []
        threading.Thread(target=lambda: self.err.extend(
            line.decode(errors="replace") for line in self.run.stderr), daemon=True).start()
        port = None
        deadline = time.monotonic() + BUILD
        while port is None and time.monotonic() < deadline and self.run.poll() is None:
            m = re.search(rf"UART +{self.uart} of the board on 127\.0\.0\.1:(\d+)",
                          "".join(self.err))
            port = int(m.group(1)) if m else time.sleep(0.1)
        self.assertIsNotNone(port, "".join(self.err))
        os.set_blocking(self.run.stdout.fileno(), False)
        self.console = ""
        self.wait_console(r"client: version 1 answers \(40 \+ 2 = 42\)")
        return port

    def wait_console(self, pattern, timeout=120, done=None):
        deadline = time.monotonic() + timeout
        done = done or (lambda: re.search(pattern, self.console))
        while not done():
            if time.monotonic() > deadline:
                self.fail(f"no {pattern!r} on the console:\n{self.console[-3000:]}")
            try:
                chunk = self.run.stdout.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                self.console += chunk.decode(errors="replace")
            else:
                if self.run.poll() is not None:
                    self.fail(f"cmrx run ended ({self.run.returncode}):\n{self.console[-3000:]}")
                time.sleep(0.05)

    def still_v1(self, what):
        """Version 1 still answers: the client never printed another version."""
        self.assertNotRegex(self.console, r"client: version [2-9]", what)
        # The heartbeat goes on.
        n = self.console.count("\nbeat ")
        self.wait_console(f"{n + 2} beats", timeout=30,
                          done=lambda: self.console.count("\nbeat ") >= n + 2)

    def deploy(self, *args):
        return self.w.cmrx("deploy", "svc", *args, cwd=self.p, timeout=BUILD)

    def image(self, slot):
        d = os.path.join(self.p, "build", self.board, "debug")
        name = "fleet.svc.img" if slot == 0 else "fleet.slot_b.svc.img"
        with open(os.path.join(d, name), "rb") as f:
            return f.read()

    def fleet(self, settings=""):
        """The project, with the updater: a function that writes its
        cmrx.yaml for a version of svc."""
        w = self.w
        self.ok(w.cmrx("new", "fleet", "--template", "blank", "--board", self.board))
        self.p = os.path.join(w.root, "fleet")
        for name, text in (("svc.h", SVC_H), ("svc.c", SVC_C), ("client.c", CLIENT_C),
                           ("beat.c", BEAT_C)):
            write(os.path.join(self.p, "src", name), text)
        for f in os.listdir(os.path.join(self.p, "src")):
            if f not in ("svc.h", "svc.c", "client.c", "beat.c"):
                os.remove(os.path.join(self.p, "src", f))
        r = self.ok(w.cmrx("add", "updater", cwd=self.p, timeout=BUILD))
        self.assertIn("Adding updater 0.1.0", r.err)
        with open(os.path.join(self.p, "cmrx.yaml")) as f:
            text = f.read()
        m = re.search(r"dependencies:\n((?:  .*\n)+)", text)
        self.assertTrue(m, text)
        deps = m.group(1)

        def project(version, bonus=0, iface3=0):
            y = YAML.format(board=self.board, version=version, bonus=bonus, iface3=iface3,
                            reserve=self.reserve)
            write(os.path.join(self.p, "cmrx.yaml"),
                  y.replace("dependencies:\n", "dependencies:\n" + deps) + settings)
        project(1)
        return project


class Deploy(DeployBase):
    def test_deploy_replaces_one_process(self):
        w = self.w
        project = self.fleet()

        # No `cmrx run` yet: deploy says so.
        self.fails(self.deploy(), "no `cmrx run` of fleet on " + self.board + " is running")

        port = self.start()
        up = Updater(port)
        try:
            # Not updatable, not there.
            self.assertEqual(up.hello("client")[0], ENOTUPDATABLE)
            self.assertEqual(up.hello("nobody")[0], ENOPROCESS)
            st, info = up.hello("svc")
            self.assertEqual(st, 0)
            version, slot_size, slot = struct.unpack("<IIB", info[:9])
            self.assertEqual((version, slot_size, slot), (1, self.reserve, 0))
            self.assertEqual(info[12:44].rstrip(b"\0").decode(), self.board)

            # Version 2's image for slot B, built but not deployed.
            project(2, bonus=1000)
            self.ok(w.cmrx("build", cwd=self.p, timeout=BUILD))
            subprocess.run(["ninja", "-C", os.path.join(self.p, "build", self.board, "debug"),
                            "fleet.slot_b"], check=True, capture_output=True)
            v2 = self.image(1)
            self.assertEqual(struct.unpack("<I", v2[44:48])[0], 2)

            def refused(image, reason, upto=None, damage=False):
                self.assertEqual(up.hello("svc")[0], 0)
                if damage:
                    st, _ = up.request(WRITE, struct.pack("<I", 0) + image[:256], damage=True)
                    self.assertEqual(st, 0)
                up.send(image, upto)
                st, why = up.commit()
                self.assertEqual(st, CMRX_EBADIMAGE, why)
                self.assertIn(reason, why)
                self.wait_console(re.escape(f"refused: {reason}"))
                self.still_v1(reason)

            # A transfer that ends early (into a slot that never held this
            # image), after a damaged frame sent again.
            refused(v2, "the image's SHA-256 does not match (corrupt or incomplete)",
                    upto=len(v2) // 2 // 256 * 256, damage=True)
            flipped = bytearray(v2)
            flipped[300] ^= 1
            refused(bytes(flipped), "the image's SHA-256 does not match (corrupt or incomplete)")
            other = bytearray(v2)
            other[IMAGE_BOARD:IMAGE_BOARD + 32] = b"qemu-netduinoplus2".ljust(32, b"\0")
            refused(bytes(other), "the image is for another board or CPU")
            large = bytearray(v2)
            large[IMAGE_SIZE:IMAGE_SIZE + 4] = struct.pack("<I", 8192 + 4)
            refused(bytes(large), "the image is larger than the process's flash reserve")

            # Cut midway: the updater drops the transfer, nothing switches.
            self.assertEqual(up.hello("svc")[0], 0)
            up.send(v2, upto=1024)
            up.close()
            self.wait_console(r"updater: the transfer of svc stopped after 1024 bytes; nothing "
                              r"switched")
            self.still_v1("a cut transfer")
        finally:
            up.close()

        # The good one, with cmrx deploy.
        banner = len(re.findall(r"(?m)^\[cmrx\] CMRX \d", self.console))
        r = self.ok(self.deploy())
        self.assertIn("Deploying svc version 2 to slot B (version 1 runs from slot A)", r.err)
        self.assertIn("Deployed svc version 2 runs from slot B; the other processes kept running",
                      r.err)
        self.wait_console(r"client: version 2 answers \(40 \+ 2 = 1042\)")
        self.wait_console(r"svc: version 2 ready")
        # The heartbeat never stopped and the firmware never rebooted.
        beats = [int(n) for n in re.findall(r"(?m)^beat (\d+)", self.console)]
        self.assertEqual(beats, list(range(1, len(beats) + 1)))
        self.assertEqual(banner, 1, self.console[:2000])
        self.assertEqual(len(re.findall(r"(?m)^\[cmrx\] CMRX \d", self.console)), 1)

        # Older: refused with the firmware's reason and a hint.
        project(1)
        self.fails(self.deploy(), "the firmware refused svc version 1: the version is not newer",
                   "raise `version:` of svc in cmrx.yaml above 2")
        # An interface its client uses, dropped: refused.
        project(3, iface3=1)
        self.fails(self.deploy(), "the firmware refused svc version 3: the image no longer "
                   "serves an interface its clients use")
        # Version 3 goes into slot A.
        project(3, bonus=2000)
        r = self.ok(self.deploy())
        self.assertIn("Deploying svc version 3 to slot A (version 2 runs from slot B)", r.err)
        self.wait_console(r"client: version 3 answers \(40 \+ 2 = 2042\)")

        os.killpg(self.run.pid, signal.SIGINT)
        out, _ = self.run.communicate(timeout=30)
        self.console += out.decode(errors="replace")
        self.assertEqual(len(re.findall(r"(?m)^\[cmrx\] CMRX \d", self.console)), 1)
        # The port file is gone with the run.
        self.fails(self.deploy(), "no `cmrx run` of fleet")
        # Without the updater (its build file stays behind), cmrx says so.
        self.ok(w.cmrx("remove", "updater", cwd=self.p, timeout=BUILD))
        self.fails(self.deploy(), "firmware fleet has no updater to receive the image",
                   "`cmrx add updater`")


class DeployOverSerial(DeployBase):
    """`cmrx deploy --port DEV` over a serial device: a pseudo-terminal whose
    other end this test relays to QEMU's TCP port of uart1, as a USB serial
    adapter carries the bytes to a real board's UART. The terminal starts
    as the kernel makes one (line editing, echo, CR/LF translation), so
    only a raw line set up by cmrx carries the frames."""
    board = "qemu-mps2-an385"

    def test_deploy_over_a_serial_port(self):
        project = self.fleet(settings="settings:\n  updater: {baud: 57600}\n")
        port = self.start()
        master, slave = pty.openpty()  # the test holds the slave open throughout
        dev = os.ttyname(slave)
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        stop = threading.Event()

        def relay():
            while not stop.is_set():
                ready, _, _ = select.select([master, sock], [], [], 0.1)
                if master in ready:
                    sock.sendall(os.read(master, 4096))
                if sock in ready:
                    data = sock.recv(4096)
                    if not data:
                        return
                    os.write(master, data)
        t = threading.Thread(target=relay, daemon=True)
        t.start()
        try:
            # A port that is not there, and one that is no terminal.
            self.fails(self.deploy("--port", "/dev/ttyNOSUCH0"),
                       "cannot open serial port /dev/ttyNOSUCH0: No such file or directory",
                       "is the board's serial adapter connected?")
            self.fails(self.deploy("--port", os.path.join(self.p, "cmrx.yaml")),
                       "cmrx.yaml is not a serial port (not a terminal device)")
            self.still_v1("a deploy to no serial port")

            project(2, bonus=1000)
            r = self.ok(self.deploy("--port", dev))
            self.assertIn(f"Deploying svc version 2 to slot B (version 1 runs from slot A) over "
                          f"uart1 on {dev} at 57600 baud", r.err)
            self.assertIn("Deployed svc version 2 runs from slot B", r.err)
            self.wait_console(r"client: version 2 answers \(40 \+ 2 = 1042\)")
            # cmrx left the line raw, at the updater's rate (settings.updater.baud).
            iflag, oflag, _, lflag, ispeed, ospeed, _ = termios.tcgetattr(slave)
            self.assertEqual((ispeed, ospeed), (termios.B57600, termios.B57600))
            self.assertEqual(lflag & (termios.ICANON | termios.ECHO | termios.ISIG), 0)
            self.assertEqual(oflag & termios.OPOST, 0)
            self.assertEqual(iflag & (termios.ICRNL | termios.IXON | termios.IXOFF), 0)
        finally:
            stop.set()
            t.join(5)
            sock.close()
            os.close(master)
            os.close(slave)


class UpdaterOnNetduino(DeployBase):
    """The updater on the Netduino Plus 2's USART2, which QEMU wires to
    -serial 1 and `cmrx run` offers on a TCP port: a HELLO round trip proves
    the UART path (its bsp.yaml entry, the stm32-usart driver, the receive
    interrupt). QEMU models the flash as ROM: the kernel's flash driver
    runs, but nothing lands in the slot, so the commit is refused, and
    `cmrx deploy` says why."""
    board = "qemu-netduinoplus2"
    uart = "usart2"
    reserve = 131072  # two of its 128 KiB sectors

    def test_hello_over_usart2(self):
        self.fleet()
        port = self.start()
        up = Updater(port)
        try:
            st, info = up.hello("svc")
            self.assertEqual(st, 0)
            version, slot_size, slot = struct.unpack("<IIB", info[:9])
            self.assertEqual((version, slot_size, slot), (1, self.reserve, 0))
            self.assertEqual(info[12:44].rstrip(b"\0").decode(), self.board)
            self.assertEqual(up.hello("client")[0], ENOTUPDATABLE)
            # The kernel's STM32F405 driver runs (QEMU takes its register
            # writes and ignores the writes to flash, which it models as ROM).
            st, _ = up.request(WRITE, struct.pack("<I", 0) + bytes(256))
            self.assertEqual(st, 0)
        finally:
            up.close()
        # Nothing landed in the slot: the kernel finds no image there.
        r = self.fails(self.deploy(), "the firmware refused svc version 1: no image header")
        self.assertIn("over usart2 at 127.0.0.1:", r.err)
        # The reason is QEMU's ROM, not another build: the hint says so.
        self.assertIn("QEMU emulates this board's flash as ROM", r.err)
        self.assertNotIn("is not this project's build", r.err)
        self.still_v1("an image QEMU did not keep")


class DeployAn385(Deploy):
    board = "qemu-mps2-an385"


class DeployAn505(Deploy):
    board = "qemu-mps2-an505"


if __name__ == "__main__":
    unittest.main()
