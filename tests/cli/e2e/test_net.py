"""The network stack as packages, end to end from this SDK's own registry:
`cmrx add netstack` fetches lwIP from its upstream URL through the user's
mirror mapping (here the SDK's shared mirror of lwIP, docs/registry.md,
Mirrors) at the commit the registry locks, `cmrx fetch` on another machine
reproduces it byte for byte, and the net template runs with `cmrx run
--net`, its echo and status page reached from 127.0.0.1. Skips, saying so,
where the shared mirror is absent."""
import json
import os
import re
import signal
import socket
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from harness import (CMRX, LWIP_UPSTREAM, SDK, SHARED_MIRRORS, WorldTest, git, snapshot, tree,
                     write)

MIRROR = os.path.join(SHARED_MIRRORS, "lwip.git")


def port_free(kind, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def registry_lwip(version):
    with open(os.path.join(SDK, "registry/index.json")) as f:
        index = json.load(f)
    lwip = next(p for p in index["packages"] if p["name"] == "lwip")
    return next(v for v in lwip["versions"] if v["version"] == version)


@unittest.skipUnless(os.path.isdir(MIRROR), f"the lwIP mirror {MIRROR} is absent (a machine "
                     "with the network fetches lwIP from upstream instead)")
class Net(WorldTest):
    @classmethod
    def setUpClass(cls):
        # One cache for the tests of this class: the first to fetch lwIP's
        # history fills it (half a minute), the others reuse it.
        cls.cache = tempfile.mkdtemp(prefix="cmrx-net-cache-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.cache, ignore_errors=True)

    def setUp(self):
        super().setUp()
        w = self.w
        w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry
        w.env["XDG_CACHE_HOME"] = self.cache
        self.config = os.path.join(w.root, "ci", "config.yaml")
        write(self.config, f"mirrors:\n  {LWIP_UPSTREAM}: {MIRROR}\n")
        w.env["CMRX_CONFIG"] = self.config

    def test_add_netstack_fetches_lwip_and_fetch_reproduces_it(self):
        w = self.w
        self.ok(w.cmrx("new", "app", "--template", "blank", "--board", "qemu-mps2-an385"))
        p = os.path.join(w.root, "app")
        r = self.ok(w.cmrx("add", "netstack", cwd=p, timeout=300))
        self.assertIn(f"Replacing {LWIP_UPSTREAM} with {MIRROR}", r.err)
        for pkg in ("netstack 0.1.0", "lwip 2.2.1", "netdev 0.1.0"):
            self.assertIn(f"Adding {pkg}", r.err)
        # Locked by upstream URL, tag and real commit, checked by the tree id.
        v = registry_lwip("2.2.1")
        self.assertEqual(v["commit"], git("rev-parse", "STABLE-2_2_1_RELEASE^{commit}", cwd=MIRROR))
        lock = self.lock(p)
        self.assertIn(f"- name: lwip\n  kind: library\n  version: 2.2.1\n  git: {LWIP_UPSTREAM}\n"
                      f"  tag: STABLE-2_2_1_RELEASE\n  commit: {v['commit']}\n"
                      f"  checksum: {v['checksum']}\n", lock)
        self.assertNotIn(MIRROR, lock)
        # packages/lwip is exactly the tagged tree of upstream lwIP.
        export = os.path.join(w.root, "export")
        git("clone", "-q", "--no-checkout", MIRROR, export)
        git("-c", "advice.detachedHead=false", "checkout", "-q", v["commit"], cwd=export)
        shutil.rmtree(os.path.join(export, ".git"))
        self.assertTrue(tree(os.path.join(p, "packages", "lwip")) == tree(export),
                        "packages/lwip differs from lwIP's tree at the locked commit")

        # Another machine: a clone of the project, an empty cache, the same mirror.
        w.commit_project(p)
        copy = w.clone_project(p, "copy")
        r = self.ok(w.cmrx("fetch", cwd=copy, env={"XDG_CACHE_HOME": os.path.join(w.root, "c2")},
                           timeout=300))
        self.assertIn(f"Replacing {LWIP_UPSTREAM} with {MIRROR}", r.err)
        mine, theirs = snapshot(p), snapshot(copy)
        self.assertEqual({k: v for k, v in theirs.items() if k.startswith("packages/")},
                         {k: v for k, v in mine.items() if k.startswith("packages/")})
        self.assertEqual(self.lock(copy), lock)

        # Its settings reach the component, checked by it; a typo is refused.
        with open(os.path.join(p, "cmrx.yaml"), "a") as f:
            f.write("settings:\n  netstack: { sockets: 99 }\n")
        self.fails(w.cmrx("build", cwd=p, timeout=300),
                   "netstack: setting 'sockets' is '99'; it must be a whole number from 1 to 64")
        # A list setting reaches it too: a port kept for two processes is refused.
        with open(os.path.join(p, "cmrx.yaml")) as f:
            text = f.read()
        with open(os.path.join(p, "cmrx.yaml"), "w") as f:
            f.write(text.replace("{ sockets: 99 }", '{ ports: ["7:echo", "7:status"] }'))
        self.fails(w.cmrx("build", cwd=p, timeout=300),
                   "netstack: setting 'ports' holds '7:status'")
        # A name that no process has would keep the port for nobody.
        with open(os.path.join(p, "cmrx.yaml"), "w") as f:
            f.write(text.replace("{ sockets: 99 }", '{ ports: ["7:app", "80:ap"] }'))
        self.fails(w.cmrx("build", cwd=p, timeout=300),
                   "netstack: setting 'ports' names 'ap'", "which is no process of this project")

    def test_net_template_serves_the_host(self):
        w = self.w
        r = self.ok(w.cmrx("new", "web", "--template", "net", "--board", "qemu-mps2-an385",
                           timeout=300))
        p = os.path.join(w.root, "web")
        with open(os.path.join(p, "cmrx.yaml")) as f:
            yaml = f.read()
        self.assertIn("    - tcp:8080:80 # the status page", yaml)
        self.assertIn('    ports: ["7:echo", "80:status"]', yaml)
        b = self.ok(w.cmrx("build", cwd=p, timeout=600))
        for proc in ("echo", "status", "netstack", "lan9118"):
            self.assertRegex(b.out, rf"(?m)^  {proc} +code ")

        # Free host ports (host 0), so parallel runs do not collide.
        self.serve(p, ["--forward", "tcp:0:80", "--forward", "tcp:0:7", "--forward", "udp:0:7"])
        # The README's way: --net with cmrx.yaml's ports, where they are free.
        if all(port_free(kind, 8080 if kind == "tcp" and n == 80 else 8007)
               for kind, n in (("tcp", 80), ("tcp", 7), ("udp", 7))):
            ports = self.serve(p, ["--net"])
            self.assertEqual(ports, {("tcp", 80): 8080, ("tcp", 7): 8007, ("udp", 7): 8007})
        else:
            print("skipped cmrx run --net: port 8080 or 8007 of 127.0.0.1 is in use", file=sys.stderr)

    def serve(self, p, options):
        """cmrx run OPTIONS in project p: the status page and both echoes
        answer on the ports it says it forwards; Ctrl-C ends it. @return
        the ports."""
        w = self.w
        # In a process group of its own, as a shell runs it: Ctrl-C reaches
        # cmrx and QEMU alike.
        run = subprocess.Popen([CMRX, "run", *options], cwd=p, env=w.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
        try:
            ports, err = {}, ""
            deadline = time.monotonic() + 60
            while len(ports) < 3 and time.monotonic() < deadline:
                line = run.stderr.readline().decode()
                err += line
                m = re.search(r"Forwarding (tcp|udp) 127\.0\.0\.1:(\d+) to port (\d+) of the board",
                              line)
                if m:
                    ports[(m.group(1), int(m.group(3)))] = int(m.group(2))
            self.assertEqual(len(ports), 3, err)
            page = self.http(ports[("tcp", 80)])
            self.assertTrue(page.startswith("HTTP/1.0 200 OK\r\n"), page)
            self.assertIn("web on qemu-mps2-an385 (cortex-m3)\nuptime: ", page)
            self.assertIn("network: address 10.0.2.15 gateway 10.0.2.2 (dhcp)", page)
            self.assertRegex(page, r"sockets: \d+ of 16 open")  # cmrx.yaml's settings.netstack
            s = socket.create_connection(("127.0.0.1", ports[("tcp", 7)]), timeout=20)
            s.sendall(b"hello, board\n")
            self.assertEqual(s.recv(64), b"hello, board\n")
            s.close()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.settimeout(3)
            for attempt in range(3):  # UDP: a datagram may be lost, rarely
                u.sendto(b"datagram", ("127.0.0.1", ports[("udp", 7)]))
                try:
                    self.assertEqual(u.recv(64), b"datagram")
                    break
                except socket.timeout:
                    self.assertLess(attempt, 2, "no UDP echo")
            u.close()
        finally:
            os.killpg(run.pid, signal.SIGINT)
            out, rest = run.communicate(timeout=30)
        self.assertEqual(run.returncode, 130, rest)
        console = out.decode()
        self.assertIn("netstack: up 10.0.2.15", console)
        self.assertIn("echo: listening on port 7 (TCP and UDP)", console)
        return ports

    def http(self, port):
        deadline = time.monotonic() + 30
        while True:
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=20)
                s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                page = b""
                while chunk := s.recv(4096):
                    page += chunk
                s.close()
                if page:
                    return page.decode()
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.fail(f"no answer on 127.0.0.1:{port}")
            time.sleep(0.3)

    def test_net_needs_a_board_with_a_network_controller(self):
        w = self.w
        self.ok(w.cmrx("new", "tick", "--template", "blank", "--board", "qemu-netduinoplus2"))
        p = os.path.join(w.root, "tick")
        before = snapshot(p)
        self.fails(w.cmrx("run", "--net", cwd=p, timeout=300),
                   "board qemu-netduinoplus2 has no network controller QEMU models",
                   "hint: its bsp.yaml names no peripheral with driver lan9118")
        self.assertUnchanged(p, before)
        r = w.cmrx("run", "--forward", "tcp:80", cwd=p)  # usage errors: exit status 2
        self.assertEqual((r.code, "cmrx run: --forward takes tcp:HOST:BOARD" in r.err), (2, True), r)
        r = w.cmrx("build", "--net", cwd=p)
        self.assertEqual((r.code, "cmrx build: does not take --net" in r.err), (2, True), r)
        with open(os.path.join(p, "cmrx.yaml"), "a") as f:
            f.write("network:\n  forward: [tcp:8080:80, tcp:8080:81]\n")
        self.fails(w.cmrx("run", "--net", cwd=p), "'network.forward': host port tcp:8080 is "
                   "forwarded twice")


if __name__ == "__main__":
    unittest.main(verbosity=2)
