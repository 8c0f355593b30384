#!/usr/bin/env python3
"""Check code the kernel runs from RAM while flash cannot be read.

On a board whose kernel programs the flash it executes from (bsp.yaml
`storage:` without `controller:`, the RP2040), that routine must live in
RAM and reach nothing in flash: no direct branch or call into flash, no
literal that points there (a constant table, a function address). The
routine calls the boot ROM through pointers it is given; those are not
checked here.

    ram_code.py ELF OBJDUMP FLASH_LO FLASH_HI RAM_LO RAM_HI

FLASH_LO..FLASH_HI is every address the flash answers at (the RP2040's
XIP aliases). Fails unless at least one function lies in RAM and every
function in RAM passes.
"""
import re
import struct
import subprocess
import sys


def sections(elf):
    """(addr, size, file offset, is NOBITS) of every allocated section."""
    data = open(elf, "rb").read()
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
    out = []
    for i in range(shnum):
        _, typ, flags, addr, off, size = struct.unpack_from("<IIIIII", data, shoff + i * shentsize)
        if flags & 2:  # SHF_ALLOC
            out.append((addr, size, off, typ == 8))
    return data, out


def word_at(data, secs, addr):
    for a, size, off, nobits in secs:
        if a <= addr and addr + 4 <= a + size and not nobits:
            return struct.unpack_from("<I", data, off + addr - a)[0]
    return None


def functions(elf):
    """(name, start, size) of every FUNC symbol, from the symbol table."""
    data = open(elf, "rb").read()
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
    hdrs = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    out = []
    for h in hdrs:
        if h[1] != 2:  # SHT_SYMTAB
            continue
        strtab = hdrs[h[6]]
        for k in range(h[5] // 16):
            name, value, size, info, _, _ = struct.unpack_from("<IIIBBH", data, h[4] + k * 16)
            if info & 0xF == 2 and size > 0:  # STT_FUNC
                end = data.index(b"\0", strtab[4] + name)
                out.append((data[strtab[4] + name:end].decode(), value & ~1, size))
    return out


def main():
    elf, objdump = sys.argv[1], sys.argv[2]
    flash_lo, flash_hi, ram_lo, ram_hi = (int(x, 0) for x in sys.argv[3:7])
    data, secs = sections(elf)
    in_flash = lambda a: flash_lo <= a < flash_hi
    in_ram_fns = [f for f in functions(elf) if ram_lo <= f[1] < ram_hi]
    failures = []
    if not in_ram_fns:
        failures.append("no function in RAM: the flash routine runs from flash")
    for name, start, size in in_ram_fns:
        dis = subprocess.run([objdump, "-d", f"--start-address={start}",
                              f"--stop-address={start + size}", elf],
                             capture_output=True, text=True, check=True).stdout
        for line in dis.splitlines():
            m = re.match(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{4} ?){1,2}\s+(\S+)\s+(.*)", line)
            if not m:
                continue
            op, args = m.group(2), m.group(3)
            t = re.match(r"([0-9a-f]+) <", args)
            if op.startswith("b") and not op.startswith("bx") and not op.startswith("blx") and t:
                if in_flash(int(t.group(1), 16)):
                    failures.append(f"{name}: {op} into flash: {line.strip()}")
            lit = re.search(r"\[pc, #\d+\]\s+@ \(([0-9a-f]+)", args)
            if op.startswith("ldr") and lit:
                v = word_at(data, secs, int(lit.group(1), 16))
                if v is not None and in_flash(v & ~1):
                    failures.append(f"{name}: a literal points into flash (0x{v:08x}): {line.strip()}")
    if failures:
        print("FAILED: code run while flash cannot be read:\n  " + "\n  ".join(failures))
        return 1
    print("OK: in RAM, reaching no flash: " + ", ".join(f"{n} at 0x{s:08x}" for n, s, _ in in_ram_fns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
