/* An updatable process with a large image (a 4 KiB table in it): what the
 * kernel verifies at each commit of the update bound test. Version 1 is
 * the firmware's; h_upd_v2.c builds version 2 from this file. */
#include "bounds.h"

#ifndef UPD_VERSION
#define UPD_VERSION 1
#endif

static const uint8_t table[4096] = {[0] = UPD_VERSION, [4095] = 0x5A};
static volatile unsigned at = sizeof(table) - 1u;

static int banner(void *arg)
{
    (void)arg;
    cmrx_printf("bupd: version %u ready (%x)\n", (unsigned)table[0], (unsigned)table[at]);
    return 0;
}
CMRX_THREAD(banner, NULL);
