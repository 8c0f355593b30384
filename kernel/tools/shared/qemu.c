#include "qemu.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Drivers of bsp.yaml peripherals QEMU emulates as a network card, and the
 * -nic model of each. */
static const struct {
    const char *driver, *model;
} nic_models[] = {{"lan9118", "lan9118"}};

const char *qemu_nic(const struct bsp *b, const struct bsp_peripheral **periph)
{
    for (size_t i = 0; i < b->n_peripherals; i++) {
        for (size_t k = 0; k < sizeof(nic_models) / sizeof(nic_models[0]); k++) {
            if (strcmp(b->peripherals[i].driver, nic_models[k].driver) == 0) {
                *periph = &b->peripherals[i];
                return nic_models[k].model;
            }
        }
    }
    return NULL;
}

/* A port: digits only, at most 65535. */
static int port(const char *s, const char **end, unsigned *out)
{
    unsigned long v = 0;
    const char *c = s;
    for (; isdigit((unsigned char)*c) && c - s < 6; c++) {
        v = v * 10u + (unsigned long)(*c - '0');
    }
    *end = c;
    *out = (unsigned)v;
    return c == s || v > 65535 ? -1 : 0;
}

int qemu_forward_parse(const char *s, bool *udp, unsigned *host, unsigned *board)
{
    const char *c;
    if (strncmp(s, "tcp:", 4) != 0 && strncmp(s, "udp:", 4) != 0) {
        return -1;
    }
    *udp = s[0] == 'u';
    if (port(s + 4, &c, host) != 0 || *c != ':' || port(c + 1, &c, board) != 0 || *c != '\0' ||
        *board == 0) {
        return -1;
    }
    return 0;
}

unsigned qemu_free_port(bool udp)
{
    int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    unsigned p = 0;
    if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(s, (struct sockaddr *)&sa, &len) == 0) {
        p = ntohs(sa.sin_port);
    }
    if (s >= 0) {
        close(s);
    }
    return p;
}

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
    /* QEMU numbers serial ports by the order of -serial: the console is
     * the qemu.serial-th, a UART of o->uarts a local TCP server (nowait:
     * the board runs before anyone connects), the others go nowhere. */
    unsigned last = o->serial;
    for (size_t k = 0; k < o->n_uarts; k++) {
        last = o->uarts[k].serial > last ? o->uarts[k].serial : last;
    }
    for (unsigned i = 0; i <= last; i++) {
        char *dev = NULL;
        for (size_t k = 0; k < o->n_uarts && i != o->serial; k++) {
            if (o->uarts[k].serial == i) {
                dev = xasprintf("tcp:127.0.0.1:%u,server=on,wait=off", o->uarts[k].port);
            }
        }
        if (dev == NULL) {
            dev = xstrdup(i != o->serial || o->console_null ? "null" : "stdio");
        }
        argv_add(a, "-serial", NULL);
        argv_take(a, dev);
    }
    /* Semihosting carries the firmware's exit code out (cmrx_shutdown()). */
    argv_add(a, "-semihosting-config", "enable=on,target=native", NULL);
    if (o->nic != NULL) {
        /* QEMU's user network (board 10.0.2.15 by DHCP, host 10.0.2.2); a
         * forward listens on 127.0.0.1 only, never on the host's network. */
        char *nic = xasprintf("user,model=%s", o->nic);
        for (size_t i = 0; i < o->n_forwards; i++) {
            bool udp;
            unsigned host, board;
            if (qemu_forward_parse(o->forwards[i], &udp, &host, &board) == 0 && host != 0) {
                char *more = xasprintf("%s,hostfwd=%s:127.0.0.1:%u-:%u", nic, udp ? "udp" : "tcp",
                                       host, board);
                free(nic);
                nic = more;
            }
        }
        argv_add(a, "-nic", NULL);
        argv_take(a, nic);
    }
    if (o->icount) {
        /* Idle time is skipped, except on a network: there the board waits
         * for the host, whose time it must share (or its timers would fire
         * all at once while a packet is on its way). */
        argv_add(a, "-icount", o->nic != NULL ? "shift=0" : "shift=0,sleep=off", NULL);
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
