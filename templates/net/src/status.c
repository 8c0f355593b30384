/* ${name}: a small HTTP server on port 80 with the system's status (uptime,
 * each process's state, restarts and why it last ended, the network), in
 * a process of its own: if the echo service crashes, this one keeps
 * answering. */
#include <cmrx/cmrx.h>
#include <cmrx/format.h>
#include <netsock.h>
#include <stdarg.h>

#define PORT 80

static CMRX_SHARED char req[1024];
static CMRX_SHARED char page[2048];
static CMRX_SHARED struct net_ifinfo ifc;
static CMRX_SHARED struct net_stats st;
static unsigned used;

static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = cmrx_vformat_buf(page + used, sizeof(page) - used, fmt, ap);
    va_end(ap);
    if (n > 0) {
        used += (unsigned)n;
        if (used >= sizeof(page)) {
            used = sizeof(page) - 1;
        }
    }
}

static void ip(const char *what, uint32_t a)
{
    put("%s %u.%u.%u.%u", what, (unsigned)(a & 0xFF), (unsigned)(a >> 8 & 0xFF),
        (unsigned)(a >> 16 & 0xFF), (unsigned)(a >> 24));
}

static void render(void)
{
    used = 0;
    uint32_t ms = cmrx_time_us() / 1000u;
    put("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
    put("${name} on %s (%s)\nuptime: %u.%03u s\n", CMRX_BOARD, CMRX_BOARD_CPU,
        (unsigned)(ms / 1000u), (unsigned)(ms % 1000u));
    put("processes:\n");
    for (unsigned pid = 0;; pid++) {
        char name[CMRX_PROCESS_NAME_MAX + 1u];
        int restarts = cmrx_process_restarts(pid);
        if (restarts < 0 || cmrx_process_name(pid, name, sizeof(name)) < 0) {
            break;
        }
        int state = cmrx_process_control(pid, CMRX_PROC_STATE);
        put("  %u %s: %s, restarts %d", pid, name,
            state == CMRX_PROC_KILLED       ? "killed"
            : state == CMRX_PROC_RESTARTING ? "restarting"
                                            : "running",
            restarts);
        /* Why it last ended, if it ever did: a fault wants looking into, an
         * operator's kill or an update does not. */
        char by[CMRX_PROCESS_NAME_MAX + 1u];
        if (cmrx_process_cause_text(cmrx_process_control(pid, CMRX_PROC_CAUSE), by, sizeof(by)) >
            0) {
            put(", last ended by %s", by);
        }
        put("\n");
    }
    if (net_ifconfig(&ifc) == CMRX_OK && net_stats(&st) == CMRX_OK) {
        ip("network: address", ifc.ip);
        ip(" gateway", ifc.gateway);
        put(" (%s)\n", ifc.dhcp ? "dhcp" : "static");
        put("frames: %u received, %u sent, %u dropped, %u control frames past a full pool\n",
            (unsigned)st.rx_frames, (unsigned)st.tx_frames, (unsigned)st.rx_dropped,
            (unsigned)st.rx_control);
        put("connections: %u accepted, %u refused for lack of sockets\n", (unsigned)st.tcp_accepted,
            (unsigned)st.tcp_refused);
        put("sockets: %u of %u open, %u reaped; stack restarts %u, driver restarts %u\n",
            (unsigned)st.sockets_open, (unsigned)st.sockets_max, (unsigned)st.reaped,
            (unsigned)st.epoch, (unsigned)st.driver_restarts);
    }
}

/* Answer one request on connection @p c. */
static int answer(int c)
{
    unsigned got = 0;
    for (;;) { /* read the request up to its blank line */
        int n = net_recv(c, req + got, sizeof(req) - 1 - got, 5000000u);
        if (n <= 0) {
            return n;
        }
        got += (unsigned)n;
        req[got] = '\0';
        for (unsigned i = 3; i < got; i++) {
            if (req[i - 3] == '\r' && req[i - 2] == '\n' && req[i - 1] == '\r' && req[i] == '\n') {
                render();
                return net_send(c, page, used, 5000000u);
            }
        }
        if (got == sizeof(req) - 1) {
            return CMRX_EINVAL; /* too long for a status request */
        }
    }
}

static int status_main(void *arg)
{
    (void)arg;
    for (;;) {
        net_wait_up(CMRX_FOREVER);
        int l = net_socket(NET_TCP);
        int rc = l < 0 ? l : net_bind(l, NET_ANY, PORT);
        rc = rc < 0 ? rc : net_listen(l, 4);
        if (rc < 0) {
            cmrx_printf("status: cannot listen on port %d (%d), trying again\n", PORT, rc);
            cmrx_usleep(500000);
            continue;
        }
        cmrx_printf("status: serving http://%s/ on port %d\n", "the board", PORT);
        for (;;) {
            int c = net_accept(l, NULL, CMRX_FOREVER);
            if (net_stack_restarted(c)) {
                break;
            }
            if (c >= 0) {
                rc = answer(c);
                net_close(c);
                if (net_stack_restarted(rc)) {
                    break;
                }
            }
        }
        cmrx_printf("status: the network stack restarted: listening again\n");
    }
    return 0; /* not reached */
}

CMRX_THREAD(status_main, NULL);
