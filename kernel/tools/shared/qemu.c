#include "qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int qemu_image_prepare(const char *path, uint32_t size, struct err *e)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode) || st.st_size != (off_t)size) {
            err_set(e, "the storage image %s is %s, but the board's storage is %u bytes", path,
                    S_ISREG(st.st_mode) ? "another size" : "not a file", (unsigned)size);
            return err_hint(e, "give another file with --image, or delete this one to start "
                               "with erased flash");
        }
        return 0;
    }
    char *erased = xmalloc(size);
    memset(erased, 0xff, size);
    int rc = write_file_atomic(path, erased, size, e);
    free(erased);
    return rc;
}

/* QEMU's option syntax: a ',' in a value is written twice. */
static char *qemu_escape(const char *s)
{
    char *out = xmalloc(2 * strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (*s == ',') {
            *o++ = ',';
        }
        *o++ = *s;
    }
    *o = 0;
    return out;
}

void qemu_command(const struct qemu_opts *o, struct argv *a)
{
    argv_add(a, QEMU_PROGRAM, "-machine", o->machine, "-display", "none", "-monitor", "none", NULL);
    if (o->image != NULL) {
        /* share=on: QEMU maps the file, so each store reaches it at once. */
        char *path = qemu_escape(o->image);
        argv_add(a, "-machine", "memory-backend=cmrx.storage", "-object", NULL);
        argv_take(a, xasprintf("memory-backend-file,id=cmrx.storage,size=%u,mem-path=%s,share=on",
                               (unsigned)o->image_size, path));
        free(path);
    }
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
        argv_add(a, "-singlestep", "-d", "exec,nochain", "-D", o->trace, NULL);
    }
    argv_add(a, "-kernel", o->elf, NULL);
    if (o->gdb_port != 0) {
        argv_take(a, xasprintf("-gdb"));
        argv_take(a, xasprintf("tcp:localhost:%u", o->gdb_port));
        argv_add(a, "-S", NULL);
    }
}
