/* Network benchmark: what the host's traffic costs the board, in
 * instructions. Under QEMU's -icount shift=0 one instruction is one
 * nanosecond of the board's time, and a spin thread of the lowest priority
 * soaks up every instruction nothing else wants, 3 to an iteration: the
 * work of a phase is its time in nanoseconds less 3 per spin. The host
 * (bench_net.py) drives the phases over TCP port 9000:
 *   start            note the clock and the spin count
 *   stop N UNIT      answer "work W per-UNIT P" for N units since start
 *   end              shut the firmware down
 * The echo service (the net template's echo.c) serves the traffic. */
#include <string.h>

#include <cmrx/cmrx.h>
#include <cmrx/format.h>
#include <netsock.h>

static volatile uint32_t spins;
static CMRX_SHARED char line[128];

/* Three instructions per iteration: adds, str, b. */
__attribute__((naked, noreturn)) static void spin_loop(volatile uint32_t *counter)
{
    (void)counter;
    __asm volatile("movs r1, #0\n1:\n\tadds r1, r1, #1\n\tstr r1, [r0]\n\tb 1b\n");
}

static int spin_thread(void *arg)
{
    (void)arg;
    spin_loop(&spins);
}

static int bench_main(void *arg)
{
    (void)arg;
    net_wait_up(CMRX_FOREVER);
    if (cmrx_thread_create(spin_thread, NULL, CMRX_PRIO_LOWEST) < 0) {
        cmrx_printf("bench: no spin thread\n");
        cmrx_shutdown(1);
    }
    int l = net_socket(NET_TCP);
    if (l < 0 || net_bind(l, NET_ANY, 9000) != CMRX_OK || net_listen(l, 1) != CMRX_OK) {
        cmrx_printf("bench: cannot listen on port 9000\n");
        cmrx_shutdown(1);
    }
    cmrx_printf("bench: ready (%s build)\n", BENCH_BUILD);
    uint32_t t0 = 0, s0 = 0;
    for (;;) {
        int c = net_accept(l, NULL, CMRX_FOREVER);
        int n = c > 0 ? net_recv(c, line, sizeof(line) - 1, 10000000u) : -1;
        if (n <= 0) {
            net_close(c);
            continue;
        }
        line[n] = '\0';
        if (strncmp(line, "start", 5) == 0) {
            t0 = cmrx_time_us();
            s0 = spins;
            n = cmrx_format(line, sizeof(line), "ok\n");
        } else if (strncmp(line, "stop ", 5) == 0) {
            uint32_t t1 = cmrx_time_us(), s1 = spins;
            unsigned units = 0;
            for (const char *p = line + 5; *p >= '0' && *p <= '9'; p++) {
                units = units * 10u + (unsigned)(*p - '0');
            }
            uint64_t work = (uint64_t)(t1 - t0) * 1000u - 3u * (uint64_t)(s1 - s0);
            n = cmrx_format(line, sizeof(line), "work %lu per %lu\n", (unsigned long)work,
                            (unsigned long)(units ? work / units : 0));
        } else if (strncmp(line, "end", 3) == 0) {
            net_close(c);
            cmrx_shutdown(0);
        } else {
            n = cmrx_format(line, sizeof(line), "?\n");
        }
        net_send(c, line, (uint32_t)n, 10000000u);
        net_close(c);
    }
}

CMRX_THREAD_PRIO(bench_main, NULL, 11);
