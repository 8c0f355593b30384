/* The test component's own process: it links its client library too. */
#include <cmrx/cmrx.h>

#include "counter_client.h"

static int service_main(void *arg)
{
    (void)arg;
    counter_bump();
    cmrx_printf("comp_service: count %d\n", counter_bump());
    return 0;
}

CMRX_THREAD(service_main, NULL);
