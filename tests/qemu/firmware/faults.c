/* Every kind of fault an unprivileged thread can raise kills only it:
 * an escalated HardFault (breakpoint without debugger), an undefined
 * instruction, a division by zero (where the CPU divides). */
#include "check.h"

#if !defined(__ARM_ARCH_6M__)
static volatile int zero = 0;
#endif

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

#if !defined(__ARM_ARCH_6M__) /* ARMv6-M divides in software: nothing traps */
static int divide(void *arg)
{
    (void)arg;
    return 10 / zero;
}
#endif

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_KILLED(breakpoint);
    CHECK_KILLED(undefined);
#if !defined(__ARM_ARCH_6M__)
    CHECK_KILLED(divide);
#endif
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
