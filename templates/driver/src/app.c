/* The app process of ${name}: asks the timer driver for its period count
 * over RPC, then ends the firmware. The timer's registers and memory stay
 * out of this process's reach. */
#include "ticker.h"

static int app_main(void *arg)
{
    (void)arg;
    int last = 0;
    for (int round = 1; round <= 3; round++) {
        cmrx_usleep(100000);
        int now = cmrx_rpc_call(&ticker_service, periods);
        if (now < 0) {
            cmrx_printf("app: the timer driver failed (%d)\n", now);
            cmrx_shutdown(1);
        }
        cmrx_printf("app: round %d, %d timer periods (+%d)\n", round, now, now - last);
        if (now <= last) {
            cmrx_printf("app: the timer does not tick\n");
            cmrx_shutdown(1);
        }
        last = now;
    }
    cmrx_printf("app: done on %s\n", CMRX_BOARD); /* the board built for, also with --board */
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(app_main, NULL);
