"""gdb helpers for CMRX firmware (docs/debugging.md): `cmrx debug` loads
this file; any gdb can, with `source PATH/cmrx.py`.

  cmrx processes   every process: index, name, state, restarts, memory
  cmrx threads     every thread: id, home and active process, state,
                   priority, stack size, stack in use and high-water mark
  cmrx bt          the current thread's backtrace, through its RPC calls
                   into each caller: gdb's own unwinding stops at the call
                   (the kernel switched stacks there), these frames go on

They read the kernel's tables (cmrx_processes, cmrx_threads) from the
firmware's debug information, so they work on QEMU's gdb stub and on
pyOCD's gdbserver alike.
"""
import gdb


def _u32(addr):
    data = gdb.selected_inferior().read_memory(int(addr), 4).tobytes()
    return int.from_bytes(data, "little")


def _where(pc):
    """'function (file:line)' of code address pc, or its hex value."""
    pc = int(pc) & ~1
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        block = None
    fn = None
    while block is not None and fn is None:
        fn = block.function
        block = block.superblock
    sal = gdb.find_pc_line(pc)
    name = fn.print_name if fn is not None else "0x%08x" % pc
    if sal.symtab is not None:
        return "%s (%s:%d)" % (name, sal.symtab.filename, sal.line)
    return name


def _processes():
    n = int(gdb.parse_and_eval("cmrx_process_count"))
    table = gdb.parse_and_eval("cmrx_processes")
    return [table[i] for i in range(n)]


def _process_name(ptr):
    """The name of the process at ptr (a struct cmrx_process * or the MPU image in it)."""
    addr = int(ptr)
    for p in _processes():
        if int(p.address) == addr:
            return p["name"].string()
    idle = gdb.parse_and_eval("cmrx_idle_process")
    if int(idle.address) == addr:
        return "idle"
    return "0x%08x" % addr


def _state_names():
    try:
        t = gdb.lookup_type("enum cmrx_thread_state")
    except gdb.error:
        return {}
    return {int(f.enumval): f.name.replace("CMRX_T_", "").lower() for f in t.fields()}


def _threads():
    """(slot, thread value) of every thread slot in use."""
    n = int(gdb.parse_and_eval("cmrx_thread_count"))
    table = gdb.parse_and_eval("cmrx_threads")
    out = []
    for i in range(n + 1):  # the idle thread is the slot after the processes'
        t = table[i]
        if int(t["state"]) != 0:
            out.append((i, t))
    return out


def _stack(slot, t):
    """(base, size) of thread slot's stack."""
    home = t["process"]
    idle = gdb.parse_and_eval("cmrx_idle_process")
    if int(home) == int(idle.address):
        return int(gdb.parse_and_eval("(unsigned)cmrx_idle_stack")), \
            int(gdb.parse_and_eval("cmrx_idle_stack_size"))
    p = home.dereference()
    size = int(p["stack_size"])
    return int(p["stack_base"]) + (slot - int(p["first_thread"])) * size, size


def _current():
    return int(gdb.parse_and_eval("cmrx_sched.current"))


class CmrxPrefix(gdb.Command):
    """CMRX: processes, threads and backtraces across RPC calls (see `help cmrx processes`)."""

    def __init__(self):
        super().__init__("cmrx", gdb.COMMAND_DATA, prefix=True)


class CmrxProcesses(gdb.Command):
    """List CMRX processes: index, name, state, restarts, data and shared memory."""

    def __init__(self):
        super().__init__("cmrx processes", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        print("%-3s %-16s %-6s %8s  %-23s %s" % ("pid", "name", "state", "restarts", "data+bss",
                                                  "shared"))
        for i, p in enumerate(_processes()):
            st = p["state"].dereference()
            print("%-3d %-16s %-6s %8d  0x%08x-0x%08x   0x%08x-0x%08x" % (
                i, p["name"].string(), "dead" if int(st["dead"]) else "alive",
                int(st["restarts"]), int(p["data_start"]), int(p["bss_end"]),
                int(p["shared_start"]), int(p["shared_end"])))


class CmrxThreads(gdb.Command):
    """List CMRX threads: id, home process, the process it runs in now (another during an
RPC call), state, priority, stack size, bytes of stack in use and its high-water mark
(the deepest word that is not zero: stacks start zeroed on QEMU; on a board whose RAM
is not zeroed at reset it is an upper bound)."""

    def __init__(self):
        super().__init__("cmrx threads", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        names = _state_names()
        cur = _current()
        print("  %-6s %-14s %-14s %-9s %4s %6s %6s %6s" % (
            "id", "process", "running in", "state", "prio", "stack", "used", "peak"))
        for slot, t in _threads():
            tid = slot | (int(t["gen"]) << 8)
            base, size = _stack(slot, t)
            running = int(t.address) == cur
            sp = int(gdb.parse_and_eval("$sp")) if running else int(t["ctx"]["sp"])
            used = base + size - sp if base <= sp <= base + size else -1
            data = gdb.selected_inferior().read_memory(base, size).tobytes()
            peak = size
            for off in range(0, size, 4):
                if data[off:off + 4] != b"\0\0\0\0":
                    peak = size - off
                    break
            else:
                peak = 0
            print("%s %-6d %-14s %-14s %-9s %4d %6d %6s %6d" % (
                "*" if running else " ", tid, _process_name(t["process"]),
                _process_name(t["ctx"]["mpu_image"]), names.get(int(t["state"]), t["state"]),
                int(t["priority"]), size, used if used >= 0 else "?", peak))


class CmrxBacktrace(gdb.Command):
    """Backtrace of the current thread through its RPC calls: gdb's frames up to the call,
then for each call (innermost first) the caller's process, the method called, and the
caller's frame: the line that made the call."""

    def __init__(self):
        super().__init__("cmrx bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        n = 0
        f = gdb.newest_frame()
        while f is not None:
            name = f.name() or ""
            if name in ("_cmrx_rpc_call", "cmrx_rpc_return_trampoline"):
                break
            print("#%-2d %s" % (n, _where(f.pc())))
            n += 1
            try:
                f = f.older()
            except gdb.error:
                f = None
        t = gdb.parse_and_eval("cmrx_sched.current").dereference()
        frame = t["frames"]
        while int(frame) != 0:
            fr = frame.dereference()
            if int(fr["kind"]) == 1:  # CMRX_FRAME_RPC
                saved = fr["saved"]
                caller = _process_name(saved["mpu_image"])
                print("--- rpc %d: %s -> %s.%s" % (int(fr["depth"]), caller,
                                                    _process_name(fr["callee"]),
                                                    _where(fr["method"]).split(" ")[0]))
                # The caller's registers as its system call stacked them: lr is
                # where the call returns to, in the function that made it.
                lr = _u32(int(saved["sp"]) + 20)
                print("#%-2d %s in process %s" % (n, _where((lr & ~1) - 1), caller))
                n += 1
            frame = fr["prev"]


CmrxPrefix()
CmrxProcesses()
CmrxThreads()
CmrxBacktrace()
