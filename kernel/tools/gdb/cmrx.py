"""gdb helpers for CMRX firmware (docs/debugging.md): `cmrx debug` loads
this file; any gdb can, with `source PATH/cmrx.py`.

  cmrx processes   every process: index, name, state, restarts, memory
  cmrx threads     every thread: id, home and active process, state,
                   priority, stack size, stack in use and high-water mark
  cmrx bt          the current thread's backtrace, through its RPC calls
                   into each caller: gdb's own unwinding stops at the call
                   (the kernel switched stacks there), these frames go on

  cmrx print EXPR  print EXPR, wherever its memory is: another process's
                   statics, the kernel's tables

They read the kernel's tables (cmrx_processes, cmrx_threads) from the
firmware's debug information. QEMU's gdb stub reads memory as the CPU
would in its current state: halted in a process, the MPU hides the other
processes' memory and the kernel's from gdb ("Cannot access memory").
These helpers then read it through QEMU's monitor (`monitor xp`, physical
memory); pyOCD reads through the debug port, which the MPU does not
restrict. On board host (the host simulation) gdb runs the program itself
and reads every page, closed ones included.
"""
import re

import gdb


def _read(addr, n):
    """n bytes at addr, through the MPU if gdb cannot read them directly."""
    addr = int(addr)
    try:
        return gdb.selected_inferior().read_memory(addr, n).tobytes()
    except gdb.MemoryError:
        out = gdb.execute("monitor xp /%dbx 0x%x" % (n, addr), to_string=True)
        data = bytes(int(b, 16) for line in out.splitlines() if ":" in line
                     for b in re.findall(r"0x([0-9a-fA-F]{2})\b", line.split(":", 1)[1]))
        if len(data) != n:
            raise
        return data


def _u32(addr):
    return int.from_bytes(_read(addr, 4), "little")


def _deref(ptr):
    """*ptr, read with _read()."""
    t = ptr.type.strip_typedefs().target()
    return gdb.Value(_read(int(ptr), t.sizeof), t)


def _load(expr):
    """The value of lvalue expr, read with _read()."""
    return _deref(gdb.parse_and_eval("&(%s)" % expr))


def _where(pc):
    """'function (file:line)' of code address pc, or its hex value."""
    pc = int(pc) if _host() else int(pc) & ~1  # the Thumb bit, on a Cortex-M
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
    # The table ends where an entry's state is not the next of
    # cmrx_process_state[] (the debug information of cmrx_process_count
    # cannot be trusted: GCC gives it the address of its neighbour).
    out = []
    while len(out) < 256:
        p = _load("cmrx_processes[%d]" % len(out))
        if int(p["state"]) != int(gdb.parse_and_eval("&cmrx_process_state[%d]" % len(out))):
            break
        out.append(p)
    return out


def _process_name(ptr):
    """The name of the process at ptr (a struct cmrx_process * or the MPU image in it)."""
    addr = int(ptr)
    for i, p in enumerate(_processes()):
        if int(gdb.parse_and_eval("&cmrx_processes[%d]" % i)) == addr:
            return p["name"].string()
    if int(gdb.parse_and_eval("&cmrx_idle_process")) == addr:
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
    out = []
    for i in range(n + 1):  # the idle thread is the slot after the processes'
        t = _load("cmrx_threads[%d]" % i)
        if int(t["state"]) != 0:
            out.append((i, t))
    return out


def _thread_addr(slot):
    return int(gdb.parse_and_eval("&cmrx_threads[%d]" % slot))


def _stack(slot, t):
    """(base, size) of thread slot's stack."""
    home = t["process"]
    if int(home) == int(gdb.parse_and_eval("&cmrx_idle_process")):
        return int(gdb.parse_and_eval("(unsigned)cmrx_idle_stack")), \
            int(gdb.parse_and_eval("cmrx_idle_stack_size"))
    p = _deref(home)
    size = int(p["stack_size"])
    return int(p["stack_base"]) + (slot - int(p["first_thread"])) * size, size


def _current():
    return int(_load("cmrx_sched")["current"])


def _host():
    """Is this board host's program (the sim port: the caller's context is a ucontext)?"""
    return gdb.lookup_global_symbol("cmrx_sim_trampoline") is not None or \
        gdb.lookup_symbol("cmrx_sim_trampoline")[0] is not None


# Where the syscall gate and the stubs run: no frame of the user's.
_GATE = ("cmrx_sim_syscall", "cmrx_sim_svc", "_cmrx_rpc_call")


def _host_caller_pc(saved):
    """The address the caller of an RPC call returns to in its own code: the
    frame-pointer chain from its saved context (glibc's REG_RBP is 10), past
    the gate and the stub."""
    uc = gdb.parse_and_eval("(ucontext_t *)%d" % int(saved["uc"].address))
    rbp = int(_deref(uc)["uc_mcontext"]["gregs"][10])
    for _ in range(8):
        if rbp == 0:
            break
        ret = int.from_bytes(_read(rbp + 8, 8), "little")
        block = gdb.block_for_pc(ret)
        fn = block.function if block is not None else None
        while block is not None and fn is None:
            block = block.superblock
            fn = block.function if block is not None else None
        if fn is None or fn.print_name not in _GATE:
            return ret
        rbp = int.from_bytes(_read(rbp, 8), "little")
    return 0


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
            st = _deref(p["state"])
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
            running = _thread_addr(slot) == cur
            sp = int(gdb.parse_and_eval("$sp")) if running else int(t["ctx"]["sp"])
            used = base + size - sp if base <= sp <= base + size else -1
            data = _read(base, size)
            peak = size
            for off in range(0, size, 4):
                if data[off:off + 4] != b"\0\0\0\0":
                    peak = size - off
                    break
            else:
                peak = 0
            peak = max(peak, used)
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
            if name in ("_cmrx_rpc_call", "cmrx_rpc_return_trampoline", "cmrx_sim_trampoline"):
                break
            sal = f.find_sal()  # of the call, in frames that made one
            if f.name() is not None and sal.symtab is not None:
                print("#%-2d %s (%s:%d)" % (n, f.name(), sal.symtab.filename, sal.line))
            else:
                print("#%-2d %s" % (n, _where(f.pc())))
            n += 1
            try:
                f = f.older()
            except gdb.error:
                f = None
        t = _deref(_load("cmrx_sched")["current"])
        frame = t["frames"]
        while int(frame) != 0:
            fr = _deref(frame)
            if int(fr["kind"]) == 1:  # CMRX_FRAME_RPC
                saved = fr["saved"]
                caller = _process_name(saved["mpu_image"])
                print("--- rpc %d: %s -> %s.%s" % (int(fr["depth"]), caller,
                                                    _process_name(fr["callee"]),
                                                    _where(fr["method"]).split(" ")[0]))
                # Where the call returns to, in the function that made it: the
                # library's stub keeps it in r5, saved with the caller's
                # context (on the host, found through its frame pointers).
                lr = _host_caller_pc(saved) if _host() else int(saved["r4_r11"][1])
                call = lr - 1 if _host() else (lr & ~1) - 1  # in the call instruction
                print("#%-2d %s in process %s" % (n, _where(call), caller))
                n += 1
            frame = fr["prev"]


class CmrxPrint(gdb.Command):
    """Print an expression wherever its memory is: cmrx print EXPR. Halted in one process,
gdb's own print cannot read another's statics on QEMU (the MPU hides them); this reads
them through QEMU's monitor."""

    def __init__(self):
        super().__init__("cmrx print", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        print("%s = %s" % (arg, _load(arg).format_string()))


CmrxPrefix()
CmrxPrint()
CmrxProcesses()
CmrxThreads()
CmrxBacktrace()
