/* The app process of ${name}: one thread in its own MPU-protected memory. */
#include <cmrx/cmrx.h>

static int app_main(void *arg)
{
    (void)arg;
    cmrx_printf("${name}: hello from the app process on %s\n", CMRX_BOARD);
    for (int tick = 1; tick <= 3; tick++) {
        cmrx_usleep(100000);
        cmrx_printf("${name}: tick %d\n", tick);
    }
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(app_main, NULL);
