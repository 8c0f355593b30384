/* Remote procedure calls: the calling thread migrates into the callee.
 *
 * A call saves the caller's whole context in a call frame below the
 * caller's stack pointer (which must lie in its stack window), ends the
 * thread's stack window below that frame so the callee cannot reach it or
 * anything above it, switches the memory map to the callee (plus the
 * caller's .shared memory) and starts the method with fresh registers on
 * a scrubbed stack. The return scrubs what the callee left on the stack
 * and restores the saved context as it was (the port scrubs the FPU
 * registers). Nothing of the caller (registers, stack, data) is visible to
 * or changeable by the callee except the arguments and the caller's
 * .shared memory, and nothing of the callee's is left to the caller but
 * its result.
 */
#include "kernel.h"

#include <cmrx/wait.h>

/* Stack a callee gets at least, below its entry frame. */
#define CALLEE_STACK_MIN 128u

/* The last two objects looked up at each nesting depth, with their
 * processes, the newer first. Memory never changes hands while the
 * firmware runs, so a pair stays true; it spares repeated calls to a
 * service the search through the processes. Per depth, because calls nest
 * in tiers (an application calls a service, which calls a driver); two
 * per depth, because a thread often alternates between two services (a
 * file system and the network, say): with one entry each of those calls
 * missed. A third object replaces the older one. */
static struct rpc_cached {
    const void *obj;
    const struct cmrx_process *proc;
} last_object[CMRX_RPC_MAX_DEPTH + 1u][2];

/* A miss of cache @p c: the process whose memory holds object @p svc,
 * which becomes c's newer entry, or NULL if none does. Out of line, so
 * that the hits, the common case, keep their registers. */
static __attribute__((noinline)) const struct cmrx_process *object_lookup(const void *svc,
                                                                          struct rpc_cached *c)
{
    /* Not in .shared: the processes it calls may write that. */
    const struct cmrx_process *p = process_of(svc, sizeof(void *), false);
    if (p != NULL) {
        c[1] = c[0];
        c[0] = (struct rpc_cached){svc, p};
    }
    return p;
}

/* The process whose memory holds object @p svc, called at @p depth; NULL
 * if none does. */
static const struct cmrx_process *object_process(const void *svc, unsigned depth)
{
    struct rpc_cached *c = last_object[depth];
    if (svc == c[0].obj) {
        return c[0].proc;
    }
    if (svc == c[1].obj) {
        return c[1].proc;
    }
    return object_lookup(svc, c);
}

static const struct cmrx_vtable_desc *vtable_of(const struct cmrx_process *p, const void *vt)
{
    const struct cmrx_process_state *st = p->state;
    return vtable_find(st->vtables, st->vtables_end, vt);
}

static bool vtable_anywhere(const void *vt)
{
    for (unsigned i = 0; i < cmrx_process_count; i++) {
        if (vtable_of(&cmrx_processes[i], vt) != NULL) {
            return true;
        }
    }
    return false;
}

/* Why the word-aligned @p svc in p's memory is no object p declared, by
 * what its first word says now. Out of line: refusals are rare, and the
 * call's path keeps its registers. */
static __attribute__((noinline)) int32_t object_refused(const struct cmrx_process *p,
                                                        const void *svc)
{
    const void *now = *(const void *const *)svc;
    return vtable_of(p, now) != NULL ? CMRX_ERPC_FORGED
           : vtable_anywhere(now)    ? CMRX_ERPC_FOREIGN
                                     : CMRX_ERPC_VTABLE;
}

/* Validate a call of method `method` of `svc`; on success return the
 * callee and the method's code address. */
static int32_t rpc_check(const struct cmrx_thread *t, const void *svc, uint32_t method,
                         const struct cmrx_process **callee, uintptr_t *fn)
{
    if (((uintptr_t)svc & 3u) != 0) {
        return CMRX_ERPC_FORGED;
    }
    /* The depth this call would have, less one (a signal frame has depth
     * 0); one beyond the last is refused below. */
    unsigned depth = t->frames != NULL ? t->frames->depth : 0u;
    const struct cmrx_process *p = object_process(svc, depth);
    if (p == NULL) {
        return CMRX_ERPC_FORGED;
    }
    /* A process that names its clients serves no one else: not even
     * whether it is up is said to another. */
    if (p->callers != NULL) {
        unsigned i = (unsigned)process_index(thread_active(t));
        if (((p->callers[i / 32u] >> (i % 32u)) & 1u) == 0) {
            return CMRX_EPERM;
        }
    }
    /* A dead process (or one being updated) serves nothing; its object may
     * still point at the vtable of a version that is gone. One restarting
     * (or starting its new version) makes the caller wait until it is up,
     * then the call is made again. */
    if (p->state->dead) {
        *callee = p;
        return p->state->initializing ? CMRX_ERPC_RETRY : CMRX_ERPC_DEAD;
    }
    /* Only an object p declared is its service: one in its initialised
     * .data whose initial value names one of p's vtables, taken from its
     * load image. Its RAM may hold words p keeps for a client, a vtable
     * and a pointer of the client's choice, which p's method would trust
     * as its own object. */
    const struct cmrx_process_state *st = p->state;
    uintptr_t a = (uintptr_t)svc; /* word-aligned, in p's .data or .bss */
    if (a >= st->objects_end) {
        return object_refused(p, svc);
    }
    const void *vt = *(const void *const *)(a + (uintptr_t)st->load_off);
    const struct cmrx_vtable_desc *d = vtable_find(st->vtables, st->vtables_end, vt);
    if (d == NULL) {
        return object_refused(p, svc);
    }
    if (method >= d->methods) {
        return CMRX_ERPC_METHOD;
    }
    /* The vtable is the callee's own flash: a bad entry can only make the
     * callee fault (and the call return CMRX_ERPC_FAULT). An empty slot
     * is a method the interface does not provide. */
    uintptr_t code = ((const uintptr_t *)vt)[method];
    if (code == 0) {
        return CMRX_ERPC_METHOD;
    }
    if (depth >= CMRX_RPC_MAX_DEPTH) {
        return CMRX_ERPC_DEPTH;
    }
    *callee = p;
    *fn = code;
    return CMRX_OK;
}

void rpc_init(void)
{
    for (unsigned i = 0; i <= CMRX_RPC_MAX_DEPTH; i++) {
        last_object[i][0] = (struct rpc_cached){NULL, NULL};
        last_object[i][1] = (struct rpc_cached){NULL, NULL};
    }
}

/* Zero the callee's stack window: what one side of a call left there is
 * not for the other. Calls within one process cross no boundary. */
static void rpc_scrub(const struct cmrx_call_frame *f)
{
    const struct cmrx_process *caller =
        (const struct cmrx_process *)(const void *)f->saved.mpu_image;
    if (f->callee != caller) {
        stack_scrub(f->base, f->limit);
    }
}

void ctx_rpc_call(struct cmrx_thread *t)
{
    /* Set by rpc_check() when it returns CMRX_OK (GCC cannot tell that
     * object_refused() never does). */
    const struct cmrx_process *callee = NULL;
    uintptr_t fn = 0;
    uintptr_t sp = port_thread_sp(t);
    /* The call frame goes just below the caller's exception frame; the
     * callee's stack ends below it, on a boundary the MPU can enforce.
     * Only a stack pointer in the thread's window is trusted with that. */
    if (!stack_sp_ok(t, sp)) {
        port_set_return(t, CMRX_EFAULT);
        return;
    }
    uintptr_t svc = port_syscall_arg(t, 0);
    int32_t rc = rpc_check(t, (const void *)svc, (uint32_t)port_syscall_arg(t, 1), &callee, &fn);
    if (rc == CMRX_ERPC_RETRY) {
        /* Its memory is being initialised, a chunk per tick: a bounded
         * wait, which rpc_restart_waiters() ends. */
        rc = thread_wait(t, CMRX_T_WAITING, callee->state, CMRX_FOREVER);
        port_set_return(t, rc == CMRX_OK ? CMRX_ERPC_RETRY : rc);
        return;
    }
    if (rc != CMRX_OK) {
        port_set_return(t, rc);
        return;
    }
    uintptr_t limit = stack_frame_limit(t, sp, sizeof(struct cmrx_call_frame), CALLEE_STACK_MIN);
    if (limit == 0) {
        port_set_return(t, CMRX_ERPC_STACK);
        return;
    }
    /* The callee's window: at most its declared budget below the frame (on
     * an MPU boundary, so at least the budget), which is all that needs
     * scrubbing. */
    uintptr_t base = thread_window_base(t);
    if (callee->rpc_stack != 0 && limit - base > callee->rpc_stack) {
        base = port_stack_boundary(t, limit - callee->rpc_stack);
    }
    struct cmrx_call_frame *f =
        (struct cmrx_call_frame *)((sp - sizeof(struct cmrx_call_frame)) & ~(uintptr_t)7u);
    f->base = base;
    f->limit = limit;
    f->callee = callee;
    f->method = fn;
    f->prev = t->frames;
    f->kind = CMRX_FRAME_RPC;
    f->depth = (uint8_t)((f->prev != NULL ? f->prev->depth : 0u) + 1u);
    port_ctx_copy(&f->saved, &t->ctx);
    t->frames = f;
    TRACE(CMRX_TR_CALL, t, TRACE_PROC(callee), f->depth, fn);

    const struct cmrx_process *caller = thread_active(t);
    rpc_scrub(f);
    port_stack_limit(t, base, limit);
    port_rpc_map(t, callee, caller);
    /* The method's fifth argument (its fourth after the object) goes on
     * its stack; the rest in registers. The caller's exception frame, where
     * they are, lies above the window: nothing above has touched it. */
    uintptr_t entry_sp = (limit - 8u) & ~(uintptr_t)7u;
    *(uint32_t *)entry_sp = (uint32_t)port_syscall_arg(t, 5);
    uintptr_t args[4] = {svc, port_syscall_arg(t, 2), port_syscall_arg(t, 3),
                         port_syscall_arg(t, 4)};
    port_ctx_call(t, entry_sp, fn, args, (uintptr_t)cmrx_rpc_return_trampoline);
}

void rpc_unwind(struct cmrx_thread *t, int32_t result)
{
    struct cmrx_call_frame *f = t->frames;
    rpc_scrub(f); /* everything deeper lies in f's window too */
    port_ctx_copy(&t->ctx, &f->saved);
    t->frames = f->prev;
    port_set_return(t, result);
    TRACE(CMRX_TR_RETURN, t, TRACE_PROC(thread_active(t)), f->depth - 1u, result);
    /* A thread whose own process was killed while it served a call dies
     * once it is back home. */
    if (thread_doomed(t) && thread_active(t) == t->process) {
        thread_finish(t, CMRX_EKILLED);
        sched_reschedule(); /* it is gone */
    }
}

/* context.S enters this one without saving the callee's registers: they
 * are discarded, the caller's come from the call frame. Only the stack
 * pointer is stored (the return value is in the frame it points to). */
void ctx_rpc_return(struct cmrx_thread *t)
{
    if (t->frames == NULL || t->frames->kind != CMRX_FRAME_RPC) {
        port_set_return(t, CMRX_EINVAL); /* not in a call */
        return;
    }
    rpc_unwind(t, (int32_t)port_syscall_arg(t, 0));
}

void rpc_restart_waiters(const struct cmrx_process *p)
{
    wait_notify(p->state, cmrx_thread_count, CMRX_ERPC_RETRY);
}

bool rpc_waits_for_restart(const struct cmrx_thread *t)
{
    const struct cmrx_process_state *s = t->wait_obj;
    return t->state == CMRX_T_WAITING && s >= cmrx_process_state &&
           s < cmrx_process_state + cmrx_process_count;
}

void rpc_evict(const struct cmrx_process *p, int32_t result)
{
    for (unsigned i = 0; i < cmrx_thread_count; i++) {
        struct cmrx_thread *t = &cmrx_threads[i];
        if (t->state == CMRX_T_FREE || t->state == CMRX_T_ZOMBIE) {
            continue;
        }
        /* The outermost call into p: everything from there on goes. */
        struct cmrx_call_frame *into = NULL;
        for (struct cmrx_call_frame *f = t->frames; f != NULL; f = f->prev) {
            if (f->kind == CMRX_FRAME_RPC && f->callee == p) {
                into = f;
            }
        }
        if (into == NULL) {
            continue;
        }
        if (t->state != CMRX_T_READY) {
            thread_wake(t, result); /* blocked somewhere inside p */
        }
        t->frames = into;
        rpc_unwind(t, result);
    }
}

/* The process a method serves: the active process of the context the
 * innermost call saved. */
static const struct cmrx_process *rpc_caller(const struct cmrx_thread *t)
{
    const struct cmrx_call_frame *f = t->frames;
    if (f == NULL || f->kind != CMRX_FRAME_RPC) {
        return NULL;
    }
    return (const struct cmrx_process *)(const void *)f->saved.mpu_image;
}

int32_t sys_rpc_caller(void)
{
    const struct cmrx_process *p = rpc_caller(cmrx_sched.current);
    return p != NULL ? process_index(p) : CMRX_ESRCH;
}

/* [buf, buf + len) in p's .shared memory. */
static bool in_shared(const struct cmrx_process *p, const void *buf, uint32_t len)
{
    uintptr_t a = (uintptr_t)buf;
    uintptr_t s = (uintptr_t)p->shared_start;
    uintptr_t e = (uintptr_t)p->shared_end;
    return a >= s && a <= e && len <= e - a;
}

int32_t sys_rpc_caller_run(const void *buf, uint32_t len)
{
    const struct cmrx_process *p = rpc_caller(cmrx_sched.current);
    if (p == NULL) {
        return CMRX_ESRCH;
    }
    if (len != 0 && !in_shared(p, buf, len)) {
        return CMRX_EFAULT;
    }
    return CMRX_RUN(process_index(p), p->state->restarts);
}

int32_t sys_rpc_buffer(const void *buf, uint32_t len)
{
    const struct cmrx_process *p = rpc_caller(cmrx_sched.current);
    if (p == NULL) {
        return CMRX_ESRCH;
    }
    return in_shared(p, buf, len) ? CMRX_OK : CMRX_EFAULT;
}
