#include "qemu.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
        argv_add(a, "-singlestep", "-d", "exec,nochain", "-D", o->trace, NULL);
    }
    argv_add(a, "-kernel", o->elf, NULL);
    if (o->gdb_port != 0) {
        argv_take(a, xasprintf("-gdb"));
        argv_take(a, xasprintf("tcp:localhost:%u", o->gdb_port));
        argv_add(a, "-S", NULL);
    }
}
