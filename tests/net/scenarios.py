"""What the host does against each test firmware of tests/net (run_net.py).

The firmware of the traffic and faults scenarios runs the net template's
echo (TCP and UDP port 7) and status (HTTP port 80) services, a victim
that faults on request (port 8) and a controller (port 9000, ctl.c), with
the netstack and the lan9118 driver. Everything here connects to
127.0.0.1 only, to ports QEMU forwards to the board.
"""
import os
import re
import socket
import threading
import time

SERVICES = {"echo": ("tcp", 7), "udp": ("udp", 7), "http": ("tcp", 80), "victim": ("tcp", 8),
            "ctl": ("tcp", 9000)}


def console(board):
    """Nothing from the host: the firmware tests itself, --expect judges."""


def booted(board):
    """DHCP lease, the services up, the controller's bad calls all refused."""
    m = board.expect(r"netstack: up (\S+) netmask (\S+) gateway (\S+) \((dhcp|static)\)")
    assert m.group(1, 2, 3, 4) == ("10.0.2.15", "255.255.255.0", "10.0.2.2", "dhcp"), \
        f"not the lease QEMU's DHCP server gives: {m.group(0)}"
    board.expect(r"ctl: bad input refused; the socket table was full after \d+ more sockets")
    board.expect(r"ctl: listening on port 9000")


def recv_exactly(s, n):
    out = bytearray()
    while len(out) < n:
        chunk = s.recv(min(65536, n - len(out)))
        if not chunk:
            raise AssertionError(f"the connection ended after {len(out)} of {n} bytes")
        out += chunk
    return bytes(out)


def echo_bytes(board, data, label, timeout=60):
    """Send @p data to the echo service while reading it back; compare."""
    s = board.connect("echo")
    s.settimeout(timeout)
    got = []
    why = []

    def read():
        try:
            got.append(recv_exactly(s, len(data)))
        except (OSError, AssertionError) as e:
            why.append(e)

    reader = threading.Thread(target=read)
    reader.start()
    s.sendall(data)
    reader.join(2 * timeout)
    s.close()
    assert got, f"{label}: the echo did not come back ({why[0] if why else 'no answer in time'})"
    assert got[0] == data, f"{label}: the echo differs from what was sent"


def read_all(s):
    """Everything until the peer closes."""
    data = bytearray()
    while True:
        chunk = s.recv(4096)
        if not chunk:
            return bytes(data)
        data += chunk


def http_get(board, path="/"):
    s = board.connect("http")
    s.settimeout(20)
    s.sendall(f"GET {path} HTTP/1.0\r\nHost: board\r\n\r\n".encode())
    page = read_all(s)
    s.close()
    return page.decode("utf-8", "replace")


def command(board, line, timeout=30):
    s = board.connect("ctl")
    s.settimeout(timeout)
    s.sendall(line.encode() + b"\n")
    answer = bytearray()
    try:
        while not answer.endswith(b"\n"):
            chunk = s.recv(256)
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    return answer.decode()


def traffic(board):
    """HTTP, UDP echo, 1 MiB over TCP, 8 connections at once, an outgoing
    connection (non-blocking) and one refused."""
    booted(board)
    page = http_get(board)
    assert page.startswith("HTTP/1.0 200 OK\r\n"), page[:200]
    for part in ("\r\n\r\n", "uptime: ", "processes:\n", "  0 ctl: running, restarts 0\n",
                 "  2 status: running, restarts 0\n",
                 "network: address 10.0.2.15 gateway 10.0.2.2 (dhcp)", "frames: "):
        assert part in page, f"the status page lacks '{part}':\n{page}"
    print("host: HTTP GET / answered with the status page")

    u = board.udp()
    for size in (1, 64, 513, 1000, 1472):
        data = os.urandom(size)
        u.send(data)
        back = u.recv(2048)
        assert back == data, f"UDP echo of {size} bytes came back as {len(back)} other bytes"
    u.close()
    print("host: UDP echo of 1..1472-byte datagrams")

    t0 = time.monotonic()
    echo_bytes(board, os.urandom(1 << 20), "1 MiB")
    print(f"host: 1 MiB echoed over TCP byte for byte in {time.monotonic() - t0:.1f} s")

    errors = []

    def one(i):
        try:
            echo_bytes(board, os.urandom(64 << 10), f"connection {i}")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f"connection {i}: {e}")
    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    # The stack's counters say what happened to these connections, failed or
    # not. Their unread data can hold the whole receive pool: "frames" counts
    # the acknowledgements taken past a full pool (netstack.c frame_in).
    page = http_get(board).splitlines()
    counters = {k: next((l for l in page if l.startswith(k + ": ")), None)
                for k in ("frames", "connections", "sockets")}
    assert not errors, "; ".join(errors) + " -- the stack's " + "; ".join(map(str, counters.values()))
    print("host: 8 concurrent connections echoed 64 KiB each")
    for k, line in counters.items():
        assert line, f"the status page lacks its {k} line"
        print(f"host: the stack's {line}")

    # The board connects out to the host (10.0.2.2 is the host's 127.0.0.1).
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(20)
    port = srv.getsockname()[1]
    done = []

    def serve():
        c, _ = srv.accept()
        c.settimeout(20)
        line = c.recv(64)
        c.sendall(b"hello board\n")
        while c.recv(64):
            pass  # until the board shuts its side down
        c.close()
        done.append(line)
    t = threading.Thread(target=serve)
    t.start()
    assert command(board, f"connect {port}") == "ok\n"
    t.join(20)
    srv.close()
    assert done == [b"hello host\n"], done
    board.expect(r"ctl: the host said: hello board")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens there now
    assert command(board, f"refused {port}") == "ok\n"
    board.expect(r"ctl: connect to a closed port: -205")
    print("host: the board connected out (non-blocking, poll) and was refused by a closed port")
    assert command(board, "done") == "ok\n"


def faults(board):
    """An application, the driver and the stack each fault under load; the
    rest keeps serving, and all recover."""
    booted(board)
    # 1. The victim application faults with a connection open; the status
    #    service is in the middle of a request meanwhile, the echo keeps an
    #    open connection.
    e = board.connect("echo")
    e.settimeout(20)
    e.sendall(b"before")
    assert recv_exactly(e, 6) == b"before"
    h = board.connect("http")
    h.settimeout(20)
    h.sendall(b"GET / HTTP/1.0\r\n")  # not finished yet
    v = board.connect("victim")
    v.settimeout(20)
    v.sendall(b"ping\n")
    assert recv_exactly(v, 5) == b"ping\n"
    v.sendall(b"crash\n")
    board.expect(r"FAULT process=victim ")
    try:
        rest = v.recv(64)
        assert rest == b"", f"the victim's connection goes on: {rest!r}"
    except ConnectionResetError:
        pass  # reset by the stack when it closed the dead process's socket
    v.close()
    h.sendall(b"\r\n")
    page = read_all(h)
    assert page.startswith(b"HTTP/1.0 200 OK"), page[:100]
    e.sendall(b"after")
    assert recv_exactly(e, 5) == b"after"
    board.expect(r"victim: listening on port 8 \(restarts 1\)")
    v = board.connect("victim")
    v.settimeout(20)
    v.sendall(b"again\n")
    assert recv_exactly(v, 6) == b"again\n"
    v.close()
    print("host: the victim faulted mid-connection; the status page and the echo kept "
          "serving; the victim came back")

    # 2. The NIC driver faults: restarted, the stack reopens it, the open
    #    connection survives (TCP resends what was lost) and new ones work.
    assert command(board, "fault-driver") == "ok\n"
    board.expect(r"ctl: the driver faulted under our call: -106", anywhere=True)
    board.expect(r"netstack: the NIC driver restarted \(epoch 1\): reopened", anywhere=True)
    e.sendall(b"through")
    assert recv_exactly(e, 7) == b"through"
    echo_bytes(board, os.urandom(64 << 10), "after the driver's restart")
    print("host: the driver faulted and restarted; an open connection survived")

    # 3. The stack faults while it holds its lock: restarted, every socket is
    #    gone (the services get a documented error and listen again), and
    #    new connections work.
    try:
        answer = command(board, "fault-stack", timeout=10)
    except (ConnectionResetError, socket.timeout):
        answer = ""
    assert answer == "", f"the controller's connection outlived the stack: {answer!r}"
    for line in (r"ctl: the stack faulted under our call: -106",
                 r"process netstack restarted \(1\)",
                 r"ctl: our old socket now says (-201|-107)",
                 r"echo: the network stack restarted \((-107|-106|-201)\): listening again",
                 r"status: the network stack restarted: listening again"):
        board.expect(line, anywhere=True)
    try:
        e.sendall(b"dead?")
        rest = e.recv(64)
        assert rest == b"", f"a connection of the stack's previous life still echoes: {rest!r}"
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        pass
    e.close()
    deadline = time.monotonic() + 20
    while True:
        try:
            echo_bytes(board, b"reconnected", "after the stack's restart")
            break
        except (AssertionError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    page = http_get(board)
    assert "stack restarts 1, driver restarts 1" in page, page
    # The processes' lines say why each restart happened.
    assert re.search(r"(?m)^  \d+ netstack: running, restarts 1, last ended by a fault$", page), page
    assert re.search(r"(?m)^  \d+ victim: running, restarts 1, last ended by a fault$", page), page
    assert re.search(r"(?m)^  \d+ status: running, restarts 0$", page), page
    print("host: the stack faulted and restarted; clients got the documented error and "
          "listen again")
    assert command(board, "done") == "ok\n"


def static(board):
    """The stack with a static address (settings ip, netmask, gateway)."""
    m = board.expect(r"netstack: up (\S+) netmask (\S+) gateway (\S+) \((dhcp|static)\)")
    assert m.group(1, 2, 3, 4) == ("10.0.2.15", "255.255.255.0", "10.0.2.2", "static"), m.group(0)
    board.expect(r"echo: listening on port 7")
    board.expect(r"status: serving", anywhere=True)
    echo_bytes(board, os.urandom(64 << 10), "64 KiB")
    u = board.udp()
    u.send(b"static")
    assert u.recv(64) == b"static"
    u.close()
    page = http_get(board)
    assert "network: address 10.0.2.15 gateway 10.0.2.2 (static)" in page, page
    print("host: static address: TCP, UDP and HTTP served")


def hog(board):
    """Clients that never read what their connections receive (one, then
    two at once, each below half of the buffers): the echo service is
    served while their peers fill every window they are given."""
    board.expect(r"echo: listening on port 7")
    # Each hog refused the echo service's port first (a failed check
    # would stop it before it listens).
    board.expect(r"hog: overflowing lengths refused", anywhere=True)
    board.expect(r"hog: the NIC's driver refuses it", anywhere=True)
    board.expect(r"hog: listening on port 9", anywhere=True)
    board.expect(r"hog2: listening on port 10", anywhere=True)
    echo_bytes(board, os.urandom(4096), "before the hog")
    held = {"hog": 0, "hog2": 0}
    hog_flood(board, [("hog", 6)], "the hog holds its", held)
    hog_flood(board, [("hog", 2), ("hog2", 3)], "two hogs hold their", held)


def hog_flood(board, hogs, who, held):
    """Connections to each (name, count) of @p hogs, filled for 3 s; then the
    echo service must answer. @p who: who holds what, for messages; @p held:
    connections each hog took so far."""
    conns = []
    for name, count in hogs:
        for _ in range(count):
            s = board.connect(name)
            s.setblocking(False)
            conns.append(s)
            held[name] += 1
            board.expect(rf"{name}: holding connection {held[name]},", anywhere=True)
    chunk = os.urandom(1024)
    sent = 0
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        for s in conns:
            try:
                sent += s.send(chunk)
            except BlockingIOError:
                pass
        time.sleep(0.01)
    print(f"host: {sent} bytes sent, none read ({who} data)")
    try:
        echo_bytes(board, os.urandom(4096), f"while {who} data", timeout=15)
    except AssertionError as e:
        print(f"ATTACK SUCCEEDED: {e}")
        raise
    print(f"host: the echo service is served while {who} data")
    for s in conns:
        s.close()


def grab(board):
    """A client that takes every socket it can and closes none: the echo
    service still takes connections and answers."""
    board.expect(r"echo: listening on port 7")
    board.expect(r"grab: took \d+ sockets, then NET_EMFILE", anywhere=True)
    for n in range(3):
        try:
            echo_bytes(board, os.urandom(4096), f"connection {n + 1} with the table taken",
                       timeout=15)
        except (AssertionError, OSError) as e:
            print(f"ATTACK SUCCEEDED: {e}")
            raise
        # The echo service closes its end once it reads the host's: only
        # then is the socket kept for it free for the next connection.
        time.sleep(0.5)
    print("host: the echo service is served while another process holds every other socket")


def steal(board):
    """A client listens on the status page's port 80 on the board's own
    address: lwIP would give it every connection to that port. The page
    must come from the status process."""
    board.expect(r"status: serving")
    board.expect(r"thief: (port 80 refused on both addresses|listening on port 80)",
                 anywhere=True)
    for n in range(3):
        page = http_get(board)
        if "uptime:" not in page:
            print(f"ATTACK SUCCEEDED: request {n + 1} to port 80 got {page[:60]!r}")
            raise AssertionError("the status page did not answer")
    print("host: port 80 answered by the status page only")


def clog(board, rounds=(1, 2, 3)):
    """A client sends without end on connections whose peers read nothing,
    then closes them and does it again on new ones: the echo service must
    still be served, TCP and UDP, after each round."""
    board.expect(r"echo: listening on port 7")
    board.expect(r"clog: listening on port 11", anywhere=True)
    echo_bytes(board, os.urandom(4096), "before the clog")
    held = []
    for round in rounds:
        for _ in range(8):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # A small receive buffer: the board's data stops at the host
            # after a few KiB instead of in its socket buffers.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
            s.settimeout(10)
            s.connect(("127.0.0.1", board.ports["clog"]))
            held.append(s)
        m = board.expect(rf"clog: round {round}: (\d+) connections, the stack took (\d+) bytes",
                         anywhere=True, timeout=90)
        print(f"host: round {round}: {m.group(0)}")
        try:
            echo_bytes(board, os.urandom(4096), f"round {round} of the clog", timeout=15)
            u = board.udp()
            u.send(b"udp while clogged")
            assert u.recv(64) == b"udp while clogged", "the UDP echo differs"
            u.close()
        except (AssertionError, OSError) as e:
            print(f"ATTACK SUCCEEDED: round {round}: {e}")
            raise
        print(f"host: round {round}: the echo service is served, TCP and UDP")
        # clogarp holds its datagrams 16 s after the round's line.
        board.expect(rf"clog: round {round}: closed them", anywhere=True, timeout=60)
    for s in held:
        s.close()


def clogarp(board):
    """clog, the client also keeping datagrams in lwIP's ARP table: two
    rounds (the heap was full by the second)."""
    clog(board, rounds=(1, 2))


def snatch(board):
    """A client closes a connection still in its listener's queue by its
    handle, then closes the listener once another process's socket takes
    that slot: the echo service's connection must live on."""
    board.expect(r"echo: listening on port 7")
    board.expect(r"snatch: listening on port 12", anywhere=True)
    a = board.connect("snatch")
    a.sendall(b"x")
    m = board.expect(r"snatch: (closed a queued connection|the queued connection has no handle)",
                     anywhere=True)
    if m.group(1).startswith("the queued"):
        board.expect(r"snatch: accepted it, read its byte", anywhere=True)
        echo_bytes(board, os.urandom(4096), "after the snatch")
        print("host: a connection waiting in a queue has no handle; the echo service is served")
        a.close()
        return
    echo_outlives(board, r"snatch: closed the listener", "the snatcher's listener")
    a.close()


def echo_outlives(board, line, what):
    """An echo connection answers, the client prints @p line, and the
    connection still answers: @p what did not end it."""
    e = board.connect("echo")
    e.settimeout(15)
    e.sendall(b"hello")
    assert recv_exactly(e, 5) == b"hello", "the echo differs"
    board.expect(line, anywhere=True)
    time.sleep(0.5)
    try:
        e.sendall(b"again")
        assert recv_exactly(e, 5) == b"again", "the echo differs"
    except (AssertionError, OSError) as err:
        print(f"ATTACK SUCCEEDED: the echo service's connection ended with {what}: {err}")
        raise
    print(f"host: the echo service's connection outlived {what}")
    e.close()


def dangle(board):
    """A client half-closes a finished connection both ways in two calls
    (lwIP frees it silently), then closes its socket after the echo
    service took a new connection: the echo connection must live on."""
    board.expect(r"echo: listening on port 7")
    board.expect(r"dangle: listening on port 13", anywhere=True)
    a = board.connect("dangle")
    a.close()
    board.expect(r"dangle: shut down both ways", anywhere=True)
    echo_outlives(board, r"dangle: closed its socket", "the client's close")


console.forward = None
traffic.forward = SERVICES
faults.forward = SERVICES
static.forward = SERVICES
static.ends = False  # the services run until QEMU is stopped
hog.forward = {"echo": ("tcp", 7), "hog": ("tcp", 9), "hog2": ("tcp", 10)}
hog.ends = False
grab.forward = {"echo": ("tcp", 7)}
grab.ends = False
steal.forward = {"http": ("tcp", 80)}
steal.ends = False
clog.forward = {"echo": ("tcp", 7), "udp": ("udp", 7), "clog": ("tcp", 11)}
clog.ends = False
clogarp.forward = clog.forward
clogarp.ends = False
snatch.forward = {"echo": ("tcp", 7), "snatch": ("tcp", 12)}
snatch.ends = False
dangle.forward = {"echo": ("tcp", 7), "dangle": ("tcp", 13)}
dangle.ends = False

SCENARIOS = {
    "console": console,
    "traffic": traffic,
    "faults": faults,
    "static": static,
    "hog": hog,
    "grab": grab,
    "steal": steal,
    "clog": clog,
    "clogarp": clogarp,
    "snatch": snatch,
    "dangle": dangle,
}
