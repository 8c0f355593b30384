/* NULL and small offsets from it fault, for reads, writes and calls. */
#include "check.h"

#include <stdint.h>

static volatile uint32_t got = 0x5555;
static volatile uintptr_t null_addr = 0; /* hides the NULL from the compiler */

static int read_null(void *arg)
{
    (void)arg;
    got = *(volatile uint32_t *)null_addr;
    return 0;
}

static int read_near_null(void *arg)
{
    (void)arg;
    got = *(volatile uint32_t *)(null_addr + 0x100);
    return 0;
}

static int call_null(void *arg)
{
    (void)arg;
    void (*fn)(void) = (void (*)(void))null_addr;
    fn();
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_KILLED(read_null);
    CHECK_KILLED(read_near_null);
    CHECK_KILLED(call_null);
    CHECK_EQ(got, 0x5555);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
