/* The app process of ${name}: uses the timer driver, then ends the
 * firmware. */
#include <cmrx/cmrx.h>

static int app_main(void *arg)
{
    (void)arg;
    for (int round = 1; round <= 3; round++) {
        cmrx_usleep(100000);
        /* TODO(rpc): ask the timer process for its period count over RPC
         * and print it; the timer's registers and memory stay out of reach
         * of this process. */
        cmrx_printf("app: round %d\n", round);
    }
    cmrx_printf("app: done on ${board}\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(app_main, NULL);
