/* Host port implementation: records instead of switching. */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

unsigned host_switch_requests;
uint32_t host_tick_phase;

void port_init(void)
{
}

void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size)
{
    memset(&t->ctx, 0, sizeof(t->ctx));
    t->ctx.entry = entry;
    t->ctx.arg = arg;
    t->ctx.stack = stack;
    t->ctx.stack_size = size;
    t->ctx.mpu_image = p->mpu;
}

void port_set_return(struct cmrx_thread *t, int32_t value)
{
    t->ctx.retval = value;
}

uint32_t port_tick_phase_us(void)
{
    return host_tick_phase;
}

void port_start_first(struct cmrx_thread *t)
{
    cmrx_sched.current = t;
    cmrx_sched.next = t;
    abort(); /* the host port never enters threads */
}

void host_port_switch(void)
{
    cmrx_sched.current = cmrx_sched.next;
}

void host_port_reset(void)
{
    host_switch_requests = 0;
    host_tick_phase = 0;
}
