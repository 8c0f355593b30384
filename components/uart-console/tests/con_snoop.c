/* uart-console attack: an unprivileged process reads the console's input
 * as it arrives, before con_main (the process the input is for) does. The
 * firmware names con_main and con_doomed as the console's readers. */
#include "con_test.h"
#include "uart_console.h"

static int snoop_thread(void *arg)
{
    (void)arg;
    struct uart_console_stats st;
    do {
        cmrx_usleep(1000); /* at a higher priority than con_main: first to see it */
        if (console_stats(&st) != CMRX_OK) {
            return 0;
        }
    } while (st.rx_bytes < INPUT_BYTES);
    char got[8];
    int n = console_read(got, sizeof(got), 0);
    if (n > 0) {
        console_printf("ATTACK SUCCEEDED: con_snoop took %d bytes of con_main's input\n", n);
    } else if (n == CMRX_EPERM) {
        console_printf("con_snoop: reading refused\n");
    } else {
        console_printf("con_snoop: read returned %d\n", n);
    }
    return 0;
}

CMRX_THREAD(snoop_thread, NULL);
