/* uart-console test, a reader con_main kills while it waits in the driver
 * for input that never comes: it starts once all input has arrived and
 * con_main has taken it. Its thread must leave the driver at once (a
 * driver that retried its wait held the lock at the kernel's stop). */
#include "check.h"
#include "con_test.h"
#include "uart_console.h"

static int doomed_thread(void *arg)
{
    (void)arg;
    struct uart_console_stats st;
    do {
        cmrx_usleep(1000);
        CHECK_EQ(console_stats(&st), CMRX_OK);
    } while (st.rx_bytes < INPUT_BYTES);
    cmrx_usleep(DOOMED_DELAY_US);
    char c;
    int n = console_read(&c, 1, CMRX_FOREVER);
    console_printf("con_doomed: read returned %d\n", n); /* never: it is killed */
    return 0;
}

CMRX_THREAD(doomed_thread, NULL);
