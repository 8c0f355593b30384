/* Every malformed RPC gets its own error code and the caller carries on. */
#include "check.h"
#include "rpc_err.h"

/* Kernel RAM, from the linker script (processes cannot link kernel symbols). */
extern uint8_t __cmrx_kbss_start[];
static const uint32_t in_flash = 1;
static uintptr_t mine = 3; /* a pointer's size: what the kernel reads of an object */

static int deep(void)
{
    volatile uint8_t big[3900]; /* most of this thread's 4 KiB stack */
    big[0] = 1;
    big[3899] = 2;
    int r = cmrx_rpc_call(&err_service, ok);
    return r + big[0] + big[3899] - 3;
}

static int main_thread(void *arg)
{
    (void)arg;
    /* The very first call of the firmware names no service at all. */
    CHECK_EQ(_cmrx_rpc_call(NULL, 0, 0, 0, 0, 0), CMRX_ERPC_FORGED);
    CHECK_EQ(cmrx_rpc_call(&err_service, ok), 1);
    /* Forged: not in any process's memory (kernel RAM, flash, NULL), or
     * misaligned. */
    CHECK_EQ(_cmrx_rpc_call(__cmrx_kbss_start, 0, 0, 0, 0, 0), CMRX_ERPC_FORGED);
    CHECK_EQ(_cmrx_rpc_call(&in_flash, 0, 0, 0, 0, 0), CMRX_ERPC_FORGED);
    CHECK_EQ(_cmrx_rpc_call(NULL, 0, 0, 0, 0, 0), CMRX_ERPC_FORGED);
    CHECK_EQ(_cmrx_rpc_call((const uint8_t *)&err_service + 1, 0, 0, 0, 0, 0), CMRX_ERPC_FORGED);
    /* Plain data of another process, or of our own: not a service. */
    CHECK_EQ(_cmrx_rpc_call((const void *)&err_srv_word, 0, 0, 0, 0, 0), CMRX_ERPC_VTABLE);
    CHECK_EQ(_cmrx_rpc_call(&mine, 0, 0, 0, 0, 0), CMRX_ERPC_VTABLE);
    /* An object in err_srv's memory wearing err_other's vtable. */
    cmrx_usleep(1000);
    CHECK_EQ(_cmrx_rpc_call(&err_fake, 0, 0, 0, 0, 0), CMRX_ERPC_FOREIGN);
    /* No such method. */
    CHECK_EQ(_cmrx_rpc_call(&err_service, 3, 0, 0, 0, 0), CMRX_ERPC_METHOD);
    CHECK_EQ(_cmrx_rpc_call(&err_service, 0xFFFFFFFFu, 0, 0, 0, 0), CMRX_ERPC_METHOD);
    /* Nesting stops at the depth limit; the error comes back down. */
    CHECK_EQ(cmrx_rpc_call(&err_service, recurse, 1), CMRX_ERPC_DEPTH);
    /* Too little stack left for a callee. */
    CHECK_EQ(deep(), CMRX_ERPC_STACK);
    /* The callee faults: the call returns an error, we carry on. */
    CHECK_EQ(cmrx_rpc_call(&err_service, crash), CMRX_ERPC_FAULT);
    CHECK_EQ(cmrx_rpc_call(&err_service, ok), 1);
    cmrx_usleep(25000); /* err_other keeps beating */
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
