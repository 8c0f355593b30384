/* Context operations of the ports whose thread context is a record in the
 * TCB rather than registers on a stack: the host port of the unit tests
 * and the sim port of board host. Both name the fields alike (port.h). */
#include "kernel.h"

void port_set_return(struct cmrx_thread *t, int32_t value)
{
    t->ctx.retval = value;
}

uintptr_t port_syscall_arg(const struct cmrx_thread *t, unsigned i)
{
    return t->ctx.args[i];
}

uint8_t *port_thread_stack(const struct cmrx_thread *t)
{
    return t->ctx.stack;
}

uintptr_t port_thread_sp(const struct cmrx_thread *t)
{
    return t->ctx.sp;
}

void port_stack_limit(struct cmrx_thread *t, uintptr_t base, uintptr_t limit)
{
    t->ctx.stack_base = base;
    t->ctx.stack_limit = limit;
}

void port_rpc_map(struct cmrx_thread *t, const struct cmrx_process *callee,
                  const struct cmrx_process *caller)
{
    t->ctx.mpu_image = callee->mpu;
    t->ctx.rpc_caller = caller;
    t->frames->port.caller = caller;
}
