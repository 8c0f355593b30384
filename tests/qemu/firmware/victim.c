/* A service process for the fault-policy tests; the build gives it a
 * different name and policy (VICTIM_NAME, set per test). Its counter starts
 * at 7 every time the process starts. */
#include "check.h"
#include "victim.h"

static int counter = 7;

static int bump(struct victim *self)
{
    (void)self;
    return ++counter;
}

static int crash(struct victim *self)
{
    (void)self;
#if defined(__x86_64__) /* the host simulation */
    __asm volatile("ud2");
#else
    __asm volatile("udf #1");
#endif
    return 0;
}

static int linger(struct victim *self, uint32_t us)
{
    (void)self;
    return cmrx_usleep(us); /* a caller's thread sleeping inside us */
}

CMRX_VTABLE(struct victim_vtable, victim_vt) = {bump, crash, linger};
CMRX_EXPORT struct victim VICTIM_NAME = {&victim_vt};

static int announce(void *arg)
{
    (void)arg;
    cmrx_printf("%s: started, restarts=%d, counter=%d\n", VICTIM_LABEL,
                cmrx_process_restarts((unsigned)cmrx_process_self()), counter);
    for (;;) {
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(announce, NULL);
