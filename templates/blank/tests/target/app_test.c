/* A target test of ${name}, run by `cmrx test`: a process booted in QEMU
 * with every process of cmrx.yaml that is not `system: true`. It checks
 * what they do, then ends the firmware: cmrx_shutdown(0) passes the test,
 * any other code fails it. Add a file here for each test (docs/testing.md). */
#include <cmrx/cmrx.h>

static int test_main(void *arg)
{
    (void)arg;
    /* Time passes for a process that sleeps. */
    uint32_t before = cmrx_time_us();
    cmrx_usleep(10000);
    uint32_t slept = cmrx_time_us() - before;
    if (slept < 10000) {
        cmrx_printf("CHECK FAILED: slept %u us of 10000\n", (unsigned)slept);
        cmrx_shutdown(1);
    }
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(test_main, NULL);
