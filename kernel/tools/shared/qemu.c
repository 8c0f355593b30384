#include "qemu.h"

#include <stdio.h>
#include <stdlib.h>

void qemu_command(const struct qemu_opts *o, struct argv *a)
{
    argv_add(a, QEMU_PROGRAM, "-machine", o->machine, "-display", "none", "-monitor", "none", NULL);
    for (char *const *x = o->extra; x != NULL && *x != NULL; x++) {
        argv_add(a, *x, NULL);
    }
    /* The console is the qemu.serial-th UART: the ones before it go nowhere. */
    for (unsigned i = 0; i < o->serial; i++) {
        argv_add(a, "-serial", "null", NULL);
    }
    /* Semihosting carries the firmware's exit code out (cmrx_shutdown()). */
    argv_add(a, "-serial", o->console_null ? "null" : "stdio", "-semihosting-config",
             "enable=on,target=native", NULL);
    if (o->icount) {
        argv_add(a, "-icount", "shift=0,sleep=off", NULL);
    }
    if (o->trace != NULL) {
        argv_add(a, "-singlestep", "-d", "exec,int,nochain", "-D", o->trace, NULL);
    }
    argv_add(a, "-kernel", o->elf, NULL);
    if (o->gdb_port != 0) {
        argv_take(a, xasprintf("-gdb"));
        argv_take(a, xasprintf("tcp:localhost:%u", o->gdb_port));
        argv_add(a, "-S", NULL);
    }
}
