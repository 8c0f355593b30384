#include "qemu.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fsutil.h"
#include "manifest.h"
#include "ui.h"

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
    argv_add(a, "-serial", "stdio", "-semihosting-config", "enable=on,target=native",
             "-kernel", b->elf, NULL);
    if (gdb_port != 0) {
        argv_add(a, "-gdb", NULL);
        argv_take(a, xasprintf("tcp:localhost:%u", gdb_port));
        argv_add(a, "-S", NULL);
    }
    return 0;
}

/* NIC drivers of bsp.yaml peripherals and the QEMU model of each. */
static const struct {
    const char *driver, *model;
} nic_models[] = {{"lan9118", "lan9118"}};

/* A port of 127.0.0.1 nobody uses now (QEMU binds it next). @return 0 if none. */
static unsigned free_port(bool udp)
{
    int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    unsigned port = 0;
    if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(s, (struct sockaddr *)&sa, &len) == 0) {
        port = ntohs(sa.sin_port);
    }
    if (s >= 0) {
        close(s);
    }
    return port;
}

int qemu_network(const struct build *b, char *const *forwards, size_t n, struct argv *a,
                 struct err *e)
{
    const char *model = NULL, *periph = NULL;
    for (size_t i = 0; i < b->bsp.n_peripherals && model == NULL; i++) {
        for (size_t k = 0; k < sizeof(nic_models) / sizeof(nic_models[0]); k++) {
            if (strcmp(b->bsp.peripherals[i].driver, nic_models[k].driver) == 0) {
                model = nic_models[k].model;
                periph = b->bsp.peripherals[i].name;
            }
        }
    }
    if (model == NULL) {
        err_set(e,
                "board %s has no network controller QEMU models, so --net has nothing to "
                "connect",
                b->board);
        return err_hint(e, "its bsp.yaml names no peripheral with driver lan9118; the MPS2 boards "
                           "have one (`cmrx run --net --board qemu-mps2-an385`)");
    }
    char *nic = xasprintf("user,model=%s", model);
    for (size_t i = 0; i < n; i++) {
        bool udp;
        unsigned host, board;
        if (forward_parse(forwards[i], &udp, &host, &board) != 0) {
            free(nic);
            return err_set(e, "'%s' is not a port forward (tcp:HOST:BOARD)", forwards[i]);
        }
        if (host == 0 && (host = free_port(udp)) == 0) {
            free(nic);
            return err_set(e, "no free %s port on 127.0.0.1 for %s", udp ? "UDP" : "TCP",
                           forwards[i]);
        }
        char *more =
            xasprintf("%s,hostfwd=%s:127.0.0.1:%u-:%u", nic, udp ? "udp" : "tcp", host, board);
        free(nic);
        nic = more;
        ui_status("Forwarding", "%s 127.0.0.1:%u to port %u of the board", udp ? "udp" : "tcp",
                  host, board);
    }
    ui_status("Network",
              "%s (%s) on QEMU's user network: the board gets 10.0.2.15 by DHCP, "
              "the host is 10.0.2.2",
              periph, model);
    argv_add(a, "-nic", NULL);
    argv_take(a, nic);
    return 0;
}
