/* A target test of ${name}'s timer driver, run by `cmrx test`: booted in
 * QEMU with the driver (every process of cmrx.yaml but app, which is
 * `system: true`), it checks that the count of timer periods grows while
 * time passes, and ends the firmware with 0 when it does. */
#include "ticker.h"

static int test_main(void *arg)
{
    (void)arg;
    int first = cmrx_rpc_call(&ticker_service, periods);
    cmrx_usleep(50000);
    int later = cmrx_rpc_call(&ticker_service, periods);
    if (first < 0 || later <= first) {
        cmrx_printf("CHECK FAILED: periods %d, then %d after 50 ms\n", first, later);
        cmrx_shutdown(1);
    }
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(test_main, NULL);
