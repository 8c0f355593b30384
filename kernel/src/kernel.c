/* Kernel entry: bring up processes and threads, then start scheduling. */
#include "kernel.h"

#include <cmrx/version.h>

static void idle_start(void)
{
    struct cmrx_thread *t = &cmrx_threads[cmrx_thread_count - 1u];
    t->process = &cmrx_idle_process;
    t->priority = CMRX_IDLE_PRIORITY;
    t->gen = 1;
    port_thread_init(t, &cmrx_idle_process, cmrx_idle_thread, NULL, cmrx_idle_stack,
                     cmrx_idle_stack_size);
    sched_ready_add(t);
    TRACE(CMRX_TR_START, t, TRACE_PROC(&cmrx_idle_process), 0, (uintptr_t)cmrx_idle_thread);
}

void cmrx_kernel_main(void)
{
    /* The port's reset zeroed the kernel's RAM, which is every module's
     * boot state; their *_init() return them to it (the host tests reset
     * with them). */
    port_init();
    kprintf("CMRX " CMRX_VERSION_STRING ", processes %u, thread slots %u\n",
            (unsigned)cmrx_process_count, (unsigned)cmrx_thread_count - 1u);
    fault_boot();
    processes_start();
    idle_start();
#if CMRX_TRACE_EVENTS
    cmrx_trace_switch(sched_pick());
#endif
    port_start_first(sched_pick());
}
