/* Every kind of fault an unprivileged thread can raise kills only it:
 * an escalated HardFault (breakpoint without debugger), an undefined
 * instruction, a division by zero. */
#include "check.h"

static volatile int zero = 0;

static int breakpoint(void *arg)
{
    (void)arg;
    __asm volatile("bkpt 1");
    return 0;
}

static int undefined(void *arg)
{
    (void)arg;
    __asm volatile("udf #0");
    return 0;
}

static int divide(void *arg)
{
    (void)arg;
    return 10 / zero;
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_KILLED(breakpoint);
    CHECK_KILLED(undefined);
    CHECK_KILLED(divide);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
