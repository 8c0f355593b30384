/* Thread life cycle: create, exit, join, priority, blocking and waking.
 *
 * Thread slots are statically partitioned between processes: a process owns
 * slots [first_thread, first_thread + max_threads) and the stack that goes
 * with each slot, so no process can starve another of threads or stacks.
 * A thread id is its slot index plus the slot's generation (bits 8..30), so
 * an id kept after the thread was joined names none of the next 2^23
 * threads of the slot.
 *
 * No thread runs above its process's declared priority ceiling
 * (max_priority): a process cannot starve the ones declared above it.
 */
#include "kernel.h"

#include <cmrx/signal.h>
#include <cmrx/wait.h>

static unsigned slot_of(const struct cmrx_thread *t)
{
    return (unsigned)(t - cmrx_threads);
}

int thread_id(const struct cmrx_thread *t)
{
    return (int)(slot_of(t) | ((unsigned)t->gen << 8));
}

struct cmrx_thread *thread_lookup(int tid)
{
    if (tid < 0) {
        return NULL;
    }
    unsigned slot = (unsigned)tid & 0xFFu;
    unsigned gen = ((unsigned)tid >> 8);
    if (slot >= cmrx_thread_count) {
        return NULL;
    }
    struct cmrx_thread *t = &cmrx_threads[slot];
    if (t->state == CMRX_T_FREE || t->gen != gen) {
        return NULL;
    }
    return t;
}

struct cmrx_thread *thread_lookup_own(int tid)
{
    /* Processes cannot see each other's threads; during an RPC call the
     * callee's code acts for the callee's process. */
    struct cmrx_thread *t = thread_lookup(tid);
    if (t == NULL || t->process != thread_active(cmrx_sched.current)) {
        return NULL;
    }
    return t;
}

struct cmrx_thread *thread_spawn(const struct cmrx_process *p, cmrx_thread_entry_t entry, void *arg,
                                 unsigned priority, int *err)
{
    if (entry == NULL || priority > CMRX_PRIO_LOWEST) {
        *err = CMRX_EINVAL;
        return NULL;
    }
    if (priority < p->max_priority) {
        *err = CMRX_EPERM;
        return NULL;
    }
    for (unsigned i = 0; i < p->max_threads; i++) {
        unsigned slot = p->first_thread + i;
        struct cmrx_thread *t = &cmrx_threads[slot];
        if (t->state != CMRX_T_FREE) {
            continue;
        }
        t->gen = (t->gen + 1u) & ((1u << CMRX_TID_GEN_BITS) - 1u);
        t->process = p;
        t->priority = (uint8_t)priority;
        t->wait_obj = NULL;
        t->join_result = NULL;
        t->sig_pending = 0;
        t->sig_handler = NULL;
        t->frames = NULL;
        t->flags = 0;
        port_thread_init(t, p, entry, arg, p->stack_base + (size_t)i * p->stack_size,
                         p->stack_size);
        sched_ready_add(t);
        TRACE(CMRX_TR_START, t, TRACE_PROC(p), 0, (uintptr_t)entry);
        return t;
    }
    *err = CMRX_EAGAIN;
    return NULL;
}

void thread_block(struct cmrx_thread *t, uint8_t state, const void *obj, uint32_t timeout_ticks)
{
    sched_ready_remove(t);
    t->state = state;
    t->wait_obj = obj;
    if (timeout_ticks != CMRX_NO_TIMEOUT) {
        time_timeout_add(t, time_ticks() + timeout_ticks);
    }
}

int32_t thread_wait(struct cmrx_thread *self, uint8_t state, const void *obj, uint32_t timeout_us)
{
    if (thread_doomed(self)) {
        return CMRX_EKILLED;
    }
    if (timeout_us == 0) {
        return CMRX_ETIMEDOUT;
    }
    thread_block(self, state, obj,
                 timeout_us == CMRX_FOREVER ? CMRX_NO_TIMEOUT : time_us_to_ticks(timeout_us));
    if (state == CMRX_T_WAITING) {
        wait_list_append(self);
    }
    sched_reschedule();
    return CMRX_OK;
}

void thread_wake(struct cmrx_thread *t, int32_t result)
{
    if (t->state == CMRX_T_WAITING) {
        wait_list_remove(t);
    }
    thread_resume(t, result);
}

void thread_resume(struct cmrx_thread *t, int32_t result)
{
    if (t->flags & CMRX_TF_TIMEOUT) {
        time_timeout_cancel(t);
    }
    t->wait_obj = NULL;
    port_set_return(t, result);
    sched_ready_add(t);
    TRACE(CMRX_TR_WAKE, t, 0, 0, result);
}

/* The thread waiting to join t, or NULL. */
static struct cmrx_thread *joiner_of(const struct cmrx_thread *t)
{
    for (unsigned i = 0; i < cmrx_thread_count; i++) {
        struct cmrx_thread *j = &cmrx_threads[i];
        if (j->state == CMRX_T_JOINING && j->wait_obj == t) {
            return j;
        }
    }
    return NULL;
}

void thread_finish(struct cmrx_thread *t, int32_t code)
{
    switch (t->state) {
    case CMRX_T_READY:
        sched_ready_remove(t);
        break;
    case CMRX_T_WAITING:
        wait_list_remove(t);
        break;
    default:
        break;
    }
    if (t->flags & CMRX_TF_TIMEOUT) {
        time_timeout_cancel(t);
    }
    timer_cancel(t);
    bool doomed = thread_doomed(t);
    if (t == cmrx_sched.current) {
        /* Its registers are still on the CPU: the next switch must not
         * save them over whatever starts in its slot. */
        cmrx_sched.current = NULL;
    }
    t->sig_pending = 0;
    t->frames = NULL;
    t->flags = 0;
    t->exit_code = code;
    t->state = CMRX_T_ZOMBIE;
    TRACE(CMRX_TR_EXIT, t, 0, 0, code);
    /* Hand the exit code to a joiner if there is one, else keep it. */
    struct cmrx_thread *j = joiner_of(t);
    if (j != NULL) {
        if (j->join_result != NULL) {
            *j->join_result = code;
        }
        thread_wake(j, CMRX_OK);
        t->state = CMRX_T_FREE;
    }
    if (doomed) {
        process_doomed_gone(t);
    }
}

static void thread_set_priority(struct cmrx_thread *t, unsigned priority)
{
    unsigned old = t->priority;
    if (t->state == CMRX_T_READY) {
        sched_ready_remove(t);
        t->priority = (uint8_t)priority;
        sched_ready_add(t);
    } else if (t->state == CMRX_T_WAITING) {
        /* Its place among the waiters follows its priority. */
        wait_list_remove(t);
        t->priority = (uint8_t)priority;
        wait_list_append(t);
    } else {
        t->priority = (uint8_t)priority;
    }
    time_priority_moved(t, old); /* its due queue is its priority's */
}

int32_t sys_thread_self(void)
{
    return thread_id(cmrx_sched.current);
}

int32_t sys_thread_create(cmrx_thread_entry_t entry, void *arg, uint32_t priority)
{
    int err = CMRX_OK;
    if (!access_code_ok((const void *)entry)) {
        return CMRX_EINVAL;
    }
    struct cmrx_thread *t =
        thread_spawn(thread_active(cmrx_sched.current), entry, arg, priority, &err);
    if (t == NULL) {
        return err;
    }
    sched_reschedule();
    return thread_id(t);
}

void ctx_thread_exit(struct cmrx_thread *t)
{
    /* A callee may not end its caller's thread: it only ends the call. */
    if (t->frames != NULL && t->frames->kind == CMRX_FRAME_RPC) {
        rpc_unwind(t, CMRX_ERPC_ABORTED);
    } else {
        thread_finish(t, (int32_t)port_syscall_arg(t, 0));
    }
    sched_reschedule();
}

int32_t sys_thread_join(int32_t tid, int *exit_code)
{
    struct cmrx_thread *self = cmrx_sched.current;
    struct cmrx_thread *t = thread_lookup_own(tid);
    if (t == NULL) {
        return CMRX_ESRCH;
    }
    if (exit_code != NULL && !access_out_ok(self, exit_code, sizeof(*exit_code))) {
        return CMRX_EFAULT;
    }
    /* Follow the chain of joins from t: reaching ourselves (t itself, or a
     * thread t is waiting for, directly or not) means waiting forever. */
    for (struct cmrx_thread *w = t; w != NULL;
         w = w->state == CMRX_T_JOINING ? (struct cmrx_thread *)(uintptr_t)w->wait_obj : NULL) {
        if (w == self) {
            return CMRX_EDEADLK;
        }
    }
    if (joiner_of(t) != NULL) {
        return CMRX_EBUSY;
    }
    if (t->state == CMRX_T_ZOMBIE) {
        if (exit_code != NULL) {
            *exit_code = t->exit_code;
        }
        t->state = CMRX_T_FREE;
        return CMRX_OK;
    }
    self->join_result = exit_code; /* for thread_finish() when t exits */
    return thread_wait(self, CMRX_T_JOINING, t, CMRX_FOREVER);
}

void ctx_thread_yield(struct cmrx_thread *t)
{
    /* A context call: the port runs cmrx_sched.next as it leaves the
     * call, so the switch costs no second exception (PendSV). */
    cmrx_sched.next = sched_yield_pick(t->priority);
    port_set_return(t, CMRX_OK);
}

int32_t sys_thread_set_priority(int32_t tid, uint32_t priority)
{
    struct cmrx_thread *t = thread_lookup_own(tid);
    if (t == NULL) {
        return CMRX_ESRCH;
    }
    if (priority > CMRX_PRIO_LOWEST) {
        return CMRX_EINVAL;
    }
    if (priority < t->process->max_priority) {
        return CMRX_EPERM;
    }
    thread_set_priority(t, priority);
    sched_reschedule();
    return CMRX_OK;
}

int32_t sys_thread_get_priority(int32_t tid)
{
    struct cmrx_thread *t = thread_lookup_own(tid);
    if (t == NULL) {
        return CMRX_ESRCH;
    }
    return t->priority;
}
