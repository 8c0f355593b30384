/* A process's memory: .data and .shared start with their initial values,
 * .bss with zeros; its MMIO range is reachable, the next range is not; the
 * .shared memory of another process is not. */
#include "check.h"

#include <stdint.h>

static volatile int data_var = 42;
static volatile int bss_var;
CMRX_SHARED volatile int shared_var = 7;

extern volatile int mem_peer_shared; /* .shared of process mem_peer */
static volatile uint32_t sink = 0xF00D;

static int read_granted(void *arg)
{
    (void)arg;
    sink = *(volatile uint32_t *)(uintptr_t)MMIO_BASE;
    return 1;
}

static int read_beyond(void *arg)
{
    (void)arg;
    sink = *(volatile uint32_t *)(uintptr_t)(MMIO_BASE + 0x400u);
    return 1;
}

static int read_peer_shared(void *arg)
{
    (void)arg;
    sink = (uint32_t)mem_peer_shared;
    return 1;
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(data_var, 42);
    CHECK_EQ(bss_var, 0);
    CHECK_EQ(shared_var, 7);
    data_var = 1;
    bss_var = 2;
    shared_var = 3;
    CHECK_EQ(data_var + bss_var + shared_var, 6);

    int code = 0;
    cmrx_tid_t t = cmrx_thread_create(read_granted, NULL, 5);
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, 1); /* survived: the range is ours */
    CHECK_KILLED(read_beyond);
    CHECK_KILLED(read_peer_shared);
    /* Wait for mem_peer's own attempt on our MMIO range. */
    cmrx_usleep(5000);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
