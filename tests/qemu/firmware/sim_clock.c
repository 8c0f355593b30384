/* Board host: the program's clock stands still while the host does not
 * run it. A thread reads the clock in a loop for 300 ms of program time
 * and reports the largest step between two reads; meanwhile
 * tests/qemu/sim_stall.py stops the program (SIGSTOP) three times for
 * 200 ms. Counted from the host's clock, each stop would show as a step of
 * at least 16 ms (the ticks a stalled program catches up); counted from
 * the CPU time the program gets, it shows as nothing. */
#include <cmrx/cmrx.h>

#include "check.h"

static int clock_main(void *arg)
{
    (void)arg;
    cmrx_printf("sim_clock: busy\n");
    uint32_t start = cmrx_time_us();
    uint32_t last = start;
    uint32_t largest = 0;
    while (last - start < 300000u) {
        uint32_t now = cmrx_time_us();
        if (now - last > largest) {
            largest = now - last;
        }
        last = now;
    }
    cmrx_printf("sim_clock: largest step %lu us\n", (unsigned long)largest);
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(clock_main, NULL);
