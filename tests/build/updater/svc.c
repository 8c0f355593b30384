/* An updatable process: something for the updater to replace. */
#include <cmrx/cmrx.h>

static int svc_main(void *arg)
{
    (void)arg;
    cmrx_printf("svc: version 1\n");
    return 0;
}

CMRX_THREAD(svc_main, NULL);
