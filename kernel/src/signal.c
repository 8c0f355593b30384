/* Signals: pending bits per thread, a handler or cmrx_signal_wait() to take
 * them.
 *
 * A handler runs when the thread is next switched in (the port calls
 * cmrx_signal_switch_in): the kernel keeps the interrupted context in a
 * call frame below the thread's stack pointer, which must lie in its stack
 * window, and starts the handler with a window that ends below the frame;
 * the handler's return comes back through cmrx_signal_return_trampoline,
 * and the interrupted context is resumed as it was. Signals wait while the
 * thread runs an RPC call (its stack and registers are the caller's to
 * keep) or is already in its handler.
 *
 * Signal state (handler, timer, pending signals) is the thread's own: a
 * method running on the thread for another process may not read or change
 * it (CMRX_EPERM), or it could have its own code run later in the caller's
 * memory.
 */
#include "kernel.h"

#include <cmrx/signal.h>
#include <cmrx/wait.h>

/* Room a handler gets below its frame before delivery is refused. */
#define HANDLER_STACK_MIN 128u

static bool deliverable(const struct cmrx_thread *t)
{
    return t->sig_handler != NULL && (t->flags & CMRX_TF_IN_SIGNAL) == 0 &&
           (t->frames == NULL || t->frames->kind != CMRX_FRAME_RPC);
}

void signal_raise(struct cmrx_thread *t, uint32_t signals)
{
    t->sig_pending |= signals;
    if (t->state == CMRX_T_SIGWAIT) {
        uint32_t take = t->sig_pending & t->sig_wait;
        if (take != 0) {
            t->sig_pending &= ~take;
            thread_wake(t, (int32_t)take);
        }
        return;
    }
    if (!deliverable(t)) {
        return;
    }
    if (t->state == CMRX_T_SLEEPING || t->state == CMRX_T_WAITING || t->state == CMRX_T_JOINING) {
        thread_wake(t, rpc_waits_for_restart(t) ? CMRX_ERPC_RETRY : CMRX_EINTR);
    } else if (t == cmrx_sched.current && t->state == CMRX_T_READY) {
        /* Deliver on the way out of the kernel: a switch to itself runs
         * the switch-in step that builds the handler frame. */
        cmrx_sched.next = t;
        port_request_switch();
    }
}

void cmrx_signal_switch_in(struct cmrx_thread *t)
{
    if (t->sig_pending == 0 || !deliverable(t)) {
        return;
    }
    uintptr_t sp = port_thread_sp(t);
    /* The handler's stack ends below the frame, on a boundary the MPU can
     * enforce: a handler that could write the frame could forge the
     * context (and memory map) its return restores. */
    uintptr_t limit = stack_sp_ok(t, sp) ? stack_frame_limit(t, sp, sizeof(struct cmrx_call_frame),
                                                             HANDLER_STACK_MIN)
                                         : 0;
    if (limit == 0) {
        kprintf("process=%s thread=%d: no room in its stack (sp=%08lx) for a signal handler; "
                "killed\n",
                t->process->name, thread_id(t), (unsigned long)sp);
        thread_finish(t, CMRX_EKILLED);
        sched_reschedule();
        return;
    }
    struct cmrx_call_frame *f =
        (struct cmrx_call_frame *)((sp - sizeof(struct cmrx_call_frame)) & ~(uintptr_t)7u);
    f->callee = NULL;
    f->base = thread_window_base(t);
    f->limit = limit;
    f->prev = t->frames;
    f->kind = CMRX_FRAME_SIGNAL;
    f->depth = 0;
    port_ctx_copy(&f->saved, &t->ctx);
    t->frames = f;
    t->flags |= CMRX_TF_IN_SIGNAL;
    uintptr_t args[4] = {t->sig_pending, 0, 0, 0};
    t->sig_pending = 0;
    port_stack_limit(t, f->base, limit); /* the return restores the whole stack */
    port_ctx_call(t, limit, (uintptr_t)t->sig_handler, args,
                  (uintptr_t)cmrx_signal_return_trampoline);
}

void ctx_signal_return(struct cmrx_thread *t)
{
    struct cmrx_call_frame *f = t->frames;
    if (f == NULL || f->kind != CMRX_FRAME_SIGNAL) {
        port_set_return(t, CMRX_EINVAL); /* not in a handler */
        return;
    }
    port_ctx_copy(&t->ctx, &f->saved);
    t->frames = f->prev;
    t->flags &= (uint8_t)~CMRX_TF_IN_SIGNAL;
}

int32_t sys_signal_handler(void (*handler)(uint32_t))
{
    struct cmrx_thread *self = cmrx_sched.current;
    if (thread_in_method(self)) {
        return CMRX_EPERM;
    }
    if (handler != NULL && !access_code_ok((const void *)handler)) {
        return CMRX_EINVAL;
    }
    self->sig_handler = handler;
    return CMRX_OK;
}

int32_t sys_signal_send(int32_t tid, uint32_t signals)
{
    if (signals == 0 || (signals & ~CMRX_SIG_ALL) != 0) {
        return CMRX_EINVAL;
    }
    struct cmrx_thread *t = thread_lookup_own(tid);
    if (t == NULL || t->state == CMRX_T_ZOMBIE) {
        return CMRX_ESRCH;
    }
    signal_raise(t, signals);
    sched_reschedule();
    return CMRX_OK;
}

int32_t sys_signal_wait(uint32_t mask, uint32_t timeout_us)
{
    struct cmrx_thread *self = cmrx_sched.current;
    if (thread_in_method(self)) {
        return CMRX_EPERM; /* they are the caller's signals */
    }
    mask &= CMRX_SIG_ALL;
    if (mask == 0) {
        return CMRX_EINVAL;
    }
    uint32_t take = self->sig_pending & mask;
    if (take != 0) {
        self->sig_pending &= ~take;
        return (int32_t)take;
    }
    self->sig_wait = mask; /* signal_raise() sets the result: the signals */
    return thread_wait(self, CMRX_T_SIGWAIT, NULL, timeout_us);
}
