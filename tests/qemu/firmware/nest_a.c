/* Process A of the nested-RPC test: the caller, and a service B calls back. */
#include "check.h"
#include "nest.h"

static CMRX_SHARED volatile uint32_t a_shared = 0xA5A5;

static int echo(struct svc_a *self, int x)
{
    (void)self;
    return x + 100;
}

CMRX_VTABLE(struct a_vtable, a_vt) = {echo};
CMRX_EXPORT struct svc_a nest_a = {&a_vt};

static int main_thread(void *arg)
{
    (void)arg;
    /* A -> B -> C: C doubles, B adds one. */
    CHECK_EQ(cmrx_rpc_call(&nest_b, to_c, 20), 41);
    /* A -> B -> A: back into A's own service. */
    CHECK_EQ(cmrx_rpc_call(&nest_b, to_a, 5), 106);
    /* C sees its caller's (B's) .shared memory... */
    CHECK_EQ(cmrx_rpc_call(&nest_b, c_reads_mine), 0xB0B0);
    /* ...but not A's, two calls up: the read faults in C, B gets the
     * error and hands it back. */
    CHECK_EQ(cmrx_rpc_call(&nest_b, c_reads, &a_shared), CMRX_ERPC_FAULT);
    /* Everything still works after the fault. */
    CHECK_EQ(cmrx_rpc_call(&nest_b, to_c, 1), 3);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
