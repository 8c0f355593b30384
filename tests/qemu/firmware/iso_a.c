/* Process A of the isolation test: its threads read and write process B's
 * data; each is killed with a report naming iso_a, and B keeps beating. */
#include "check.h"

#include <stdint.h>

extern volatile uint32_t iso_b_heartbeat; /* lives in process iso_b */
static volatile uint32_t seen = 0xDEAD;

static int reader(void *arg)
{
    (void)arg;
    seen = iso_b_heartbeat; /* must fault */
    return 0;
}

static int writer(void *arg)
{
    (void)arg;
    iso_b_heartbeat = 0; /* must fault */
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(15000); /* let B beat a little first */
    cmrx_printf("iso_a: reading iso_b at %p\n", (void *)&iso_b_heartbeat);
    CHECK_KILLED(reader);
    CHECK_EQ(seen, 0xDEAD);
    CHECK_KILLED(writer);
    cmrx_printf("iso_a: both intruders killed\n");
    /* B's heartbeat lines after the faults prove it survived. */
    cmrx_usleep(25000);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
