/* netstack test: an application that faults mid-connection. A TCP server
 * on port 8 echoes lines; the line "crash" makes it fault, as a bug would.
 * Its fault policy restarts it; the stack closes its sockets meanwhile
 * (its peers see the connection reset) and serves everyone else. */
#include <string.h>

#include "check.h"
#include "netsock.h"

static CMRX_SHARED char line[256];

static int listen_on_8(void)
{
    net_wait_up(CMRX_FOREVER);
    int l = net_socket(NET_TCP);
    CHECK(l > 0);
    CHECK_EQ(net_bind(l, NET_ANY, 8), CMRX_OK);
    int rc;
    while ((rc = net_listen(l, 4)) == NET_EADDRINUSE) {
        cmrx_usleep(20000); /* our previous life's listener is being reaped */
    }
    CHECK_EQ(rc, CMRX_OK);
    cmrx_printf("victim: listening on port 8 (restarts %d)\n",
                cmrx_process_restarts((unsigned)cmrx_process_self()));
    return l;
}

static int victim_main(void *arg)
{
    (void)arg;
    int l = listen_on_8();
    for (;;) {
        int c = net_accept(l, NULL, CMRX_FOREVER);
        if (net_stack_restarted(c)) {
            l = listen_on_8();
            continue;
        }
        CHECK(c > 0);
        int n;
        while ((n = net_recv(c, line, sizeof(line) - 1, CMRX_FOREVER)) > 0) {
            line[n] = '\0';
            if (strncmp(line, "crash", 5) == 0) {
                cmrx_printf("victim: crashing with a connection open\n");
                __builtin_trap();
            }
            net_send(c, line, (uint32_t)n, CMRX_FOREVER);
        }
        net_close(c);
    }
}

CMRX_THREAD(victim_main, NULL);
