/* Host port implementation: records instead of switching. */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

unsigned host_switch_requests;
uint32_t host_tick_phase;
uint32_t host_irq_enabled;

void port_init(void)
{
}

void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size)
{
    memset(&t->ctx, 0, sizeof(t->ctx));
    t->ctx.mpu_image = p->mpu;
    t->ctx.stack_base = (uintptr_t)stack;
    t->ctx.stack_limit = (uintptr_t)(stack + size);
    t->ctx.stack = stack;
    uintptr_t args[4] = {(uintptr_t)arg, 0, 0, 0};
    port_ctx_call(t, (uintptr_t)(stack + size), (uintptr_t)entry, args,
                  (uintptr_t)cmrx_thread_exit);
}

uint32_t host_image_stamp = 1;

uint32_t port_image_stamp(void)
{
    return host_image_stamp;
}

uint32_t port_tick_phase_us(void)
{
    return host_tick_phase;
}

#if CMRX_TRACE_EVENTS
uint32_t host_trace_clock;

uint32_t port_trace_clock(void)
{
    return host_trace_clock++;
}

uint32_t port_trace_hz(void)
{
    return 1000000u;
}
#endif

void port_start_first(struct cmrx_thread *t)
{
    cmrx_sched.current = t;
    cmrx_sched.next = t;
    abort(); /* the host port never enters threads */
}

void port_ctx_copy(struct cmrx_port_context *dst, const struct cmrx_port_context *src)
{
    *dst = *src;
}

void port_ctx_call(struct cmrx_thread *t, uintptr_t sp, uintptr_t fn, const uintptr_t args[4],
                   uintptr_t lr)
{
    t->ctx.sp = sp - 32u; /* as much as a Cortex-M exception frame */
    t->ctx.pc = fn;
    t->ctx.lr = lr;
    memcpy(t->ctx.call_args, args, sizeof(t->ctx.call_args));
    memset(t->ctx.regs, 0, sizeof(t->ctx.regs));
}

uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at)
{
    (void)t;
    return at & ~(uintptr_t)63u; /* pretend 64-byte MPU granularity */
}

void stack_scrub(uintptr_t from, uintptr_t to)
{
    if (from < to) {
        memset((void *)from, 0, to - from);
    }
}

void block_copy(uintptr_t to, uintptr_t from, uintptr_t end)
{
    if (from < end) {
        memcpy((void *)to, (const void *)from, end - from);
    }
}

void port_irq_enable(unsigned irq)
{
    host_irq_enabled |= 1u << irq;
}

void port_irq_disable(unsigned irq)
{
    host_irq_enabled &= ~(1u << irq);
}

void host_port_switch(void)
{
    struct cmrx_thread *t = cmrx_sched.next;
    if (t->sig_pending != 0) {
        t = cmrx_switch_in(t);
    }
    cmrx_sched.current = t;
}

void host_port_reset(void)
{
    host_switch_requests = 0;
    host_tick_phase = 0;
    host_irq_enabled = 0;
}
