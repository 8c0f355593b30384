/* A service process for the fault-policy tests; the build gives it a
 * different name and policy (VICTIM_NAME, set per test). Its counter starts
 * at 7 every time the process starts. */
#include "check.h"
#include "victim.h"

static int counter = 7;
/* Memory each start finds zeroed and leaves dirty: more than a restart
 * chunk (512 bytes) and of an odd size, after .data, so that its ends
 * fall off the 32-byte blocks the kernel zeroes with one store each. */
static volatile uint8_t scratch[1201];
/* .data of more than a restart chunk and of an odd size, marked at the
 * ends of 32-byte blocks and of chunks: each start finds it as built, though
 * the last start left it dirty (the kernel copies its blocks with block
 * loads and stores, and the rest byte for byte). */
static volatile uint8_t table[1203] = {
    [0] = 1, [31] = 2, [32] = 3, [511] = 4, [512] = 5, [1023] = 6, [1202] = 7};
static const uint16_t marks[] = {0, 31, 32, 511, 512, 1023, 1202};

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
    unsigned dirty = 0;
    for (unsigned i = 0; i < sizeof(scratch); i++) {
        dirty += scratch[i] != 0;
        scratch[i] = 0xA5;
    }
    for (unsigned i = 0, m = 0; i < sizeof(table); i++) {
        unsigned want = m < sizeof(marks) / sizeof(marks[0]) && marks[m] == i ? ++m : 0u;
        dirty += table[i] != want;
        table[i] = 0x5A;
    }
    cmrx_printf("%s: started, restarts=%d, counter=%d, dirty=%u\n", VICTIM_LABEL,
                cmrx_process_restarts((unsigned)cmrx_process_self()), counter, dirty);
    for (;;) {
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(announce, NULL);
