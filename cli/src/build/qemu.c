#include "qemu.h"

#include <stdlib.h>

#include "fsutil.h"

int qemu_command(const struct build *b, unsigned gdb_port, struct argv *a, struct err *e)
{
    if (b->bsp.qemu_machine == NULL) {
        err_set(e,
                "board %s is not emulated: its bsp.yaml (%s) has no 'qemu' machine, so there "
                "is nothing to run the firmware in",
                b->board, build_shown(b, b->bsp_path));
        return err_hint(e,
                        "program a real %s with `cmrx flash` (`cmrx debug` debugs it there), "
                        "or run the project on an emulated board with `cmrx run --board "
                        "BOARD` (`cmrx boards` shows which have a QEMU machine)",
                        b->board);
    }
    argv_add(a, QEMU_PROGRAM, "-machine", b->bsp.qemu_machine, "-display", "none", "-monitor",
             "none", NULL);
    /* The console is the qemu.serial-th UART: the ones before it go nowhere. */
    for (unsigned i = 0; i < b->bsp.qemu_serial; i++) {
        argv_add(a, "-serial", "null", NULL);
    }
    argv_add(a, "-serial", "stdio", "-semihosting-config", "enable=on,target=native,userspace=on",
             "-kernel", b->elf, NULL);
    if (gdb_port != 0) {
        argv_add(a, "-gdb", NULL);
        argv_take(a, xasprintf("tcp:localhost:%u", gdb_port));
        argv_add(a, "-S", NULL);
    }
    return 0;
}
