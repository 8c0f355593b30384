/* The crash record (docs/debugging.md): a service faults inside a call,
 * then this process resets the system. The next boot's kernel reports the
 * fault ("the last fault before this reset") and cmrx_crash_record()
 * returns it: the test passes on that second boot. */
#include "check.h"
#include "victim.h"

extern struct victim crashee;

static struct cmrx_crash_info info;
static uint32_t spare[sizeof(struct cmrx_crash_info) / 4u + 1u];

static int crash_main(void *arg)
{
    (void)arg;
    int rc = cmrx_crash_record(&info);
    if (rc == CMRX_ESRCH) { /* the first boot: nothing before it */
        CHECK_EQ(cmrx_rpc_call(&crashee, crash), CMRX_ERPC_FAULT);
        cmrx_printf("crash: the service faulted, rebooting\n");
        cmrx_reboot();
        CHECK_FAIL_("cmrx_reboot() returned");
    }
    CHECK_EQ(rc, CMRX_OK);
    /* Writable but not word-aligned: refused (the kernel stores words and
     * faulted there before it checked), not copied. */
    CHECK_EQ(cmrx_crash_record((struct cmrx_crash_info *)(void *)((uint8_t *)spare + 1)),
             CMRX_EFAULT);
    /* The firmware lists crash_main, then crashee. */
    CHECK_EQ(info.process, 1);
    CHECK_EQ(info.depth, 1u);
    CHECK_EQ(info.flags & (CMRX_CRASH_PC_VALID | CMRX_CRASH_IN_CALL),
             CMRX_CRASH_PC_VALID | CMRX_CRASH_IN_CALL);
    CHECK(info.pc != 0u);
    cmrx_printf("crash: the record says process %d, pc 0x%08lx\n", (int)info.process,
                (unsigned long)info.pc);
    PASS();
    return 0;
}

CMRX_THREAD(crash_main, NULL);
