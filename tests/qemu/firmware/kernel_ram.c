/* Kernel memory is privileged: reading or writing it from a thread faults
 * and the kernel carries on. */
#include "check.h"

#include <stdint.h>

/* Kernel RAM, from the linker script (processes cannot link kernel symbols). */
extern uint8_t __cmrx_kbss_start[];
static volatile uint32_t got = 0x1234;

static int kernel_writer(void *arg)
{
    (void)arg;
    *(volatile uint32_t *)(void *)__cmrx_kbss_start = 0;
    return 0;
}

static int kernel_reader(void *arg)
{
    (void)arg;
    got = *(volatile uint32_t *)(void *)__cmrx_kbss_start;
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_KILLED(kernel_writer);
    CHECK_KILLED(kernel_reader);
    CHECK_EQ(got, 0x1234);
    /* The kernel still works: a new thread runs and exits normally. */
    CHECK_EQ(cmrx_usleep(1000), CMRX_OK);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
