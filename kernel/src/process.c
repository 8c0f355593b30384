/* Processes: start (memory initialisation, autostart threads) and the
 * fault policies that kill or restart a whole process. */
#include "kernel.h"

#include <string.h>

int process_index(const struct cmrx_process *p)
{
    return (int)(p - cmrx_processes);
}

void process_start(const struct cmrx_process *p)
{
    memcpy(p->data_start, p->data_load, (size_t)(p->data_end - p->data_start));
    memset(p->bss_start, 0, (size_t)(p->bss_end - p->bss_start));
    memcpy(p->shared_start, p->shared_load, (size_t)(p->shared_end - p->shared_start));

    for (const struct cmrx_autostart *a = p->autostart; a < p->autostart_end; a++) {
        unsigned prio = a->priority == CMRX_PRIO_PROCESS_DEFAULT ? p->priority : a->priority;
        int err = CMRX_OK;
        if (thread_spawn(p, a->entry, a->arg, prio, &err) == NULL) {
            kprintf("process %s: autostart thread %u not started (error %d)\n", p->name,
                    (unsigned)(a - p->autostart), err);
        }
    }
}

static void process_restart(const struct cmrx_process *p)
{
    struct cmrx_process_state *st = p->state;
    st->restarts++;
    st->dead = 0;
    st->restart_queued = 0;
    kprintf("process %s restarted (%u)\n", p->name, (unsigned)st->restarts);
    process_start(p);
}

void process_doomed_gone(struct cmrx_thread *t)
{
    const struct cmrx_process *p = t->process;
    if (t->state == CMRX_T_ZOMBIE) {
        t->state = CMRX_T_FREE; /* nobody of its killed process joins it */
    }
    if (--p->state->doomed == 0 && p->state->restart_queued) {
        process_restart(p);
    }
}

void process_kill(const struct cmrx_process *p, bool restart)
{
    struct cmrx_process_state *st = p->state;
    st->dead = 1;
    irq_release_process(p);
    /* Threads of other processes inside p come back with an error. */
    rpc_evict(p, CMRX_ERPC_DEAD);
    for (unsigned i = 0; i < cmrx_thread_count; i++) {
        struct cmrx_thread *t = &cmrx_threads[i];
        if (t->process != p || t->state == CMRX_T_FREE) {
            continue;
        }
        if (t->state == CMRX_T_ZOMBIE) {
            t->state = CMRX_T_FREE;
        } else if (thread_active(t) != p) {
            /* Serving a call in another process: stopping it mid-way could
             * leave that process's data half-updated. It dies on return;
             * if it is blocked there, its wait ends with CMRX_EKILLED so
             * that the service returns (and it may block no more). */
            if (!thread_doomed(t)) {
                t->flags |= CMRX_TF_DOOMED;
                st->doomed++;
            }
            if (t->state != CMRX_T_READY) {
                thread_wake(t, CMRX_EKILLED);
            }
        } else {
            thread_finish(t, CMRX_EKILLED);
            if (t->state == CMRX_T_ZOMBIE) {
                t->state = CMRX_T_FREE; /* nobody of p is left to join it */
            }
        }
    }
    if (restart && st->doomed != 0) {
        /* Its thread slots and stacks are still in use. */
        st->restart_queued = 1;
        kprintf("process %s restarts when %u thread(s) return from calls\n", p->name,
                (unsigned)st->doomed);
    } else if (restart) {
        process_restart(p);
    } else {
        kprintf("process %s killed\n", p->name);
    }
}

int32_t sys_process_self(void)
{
    return process_index(thread_active(cmrx_sched.current));
}

int32_t sys_process_restarts(uint32_t pid)
{
    if (pid >= cmrx_process_count) {
        return CMRX_EINVAL;
    }
    return cmrx_processes[pid].state->restarts;
}

int32_t sys_process_control(uint32_t pid, uint32_t op)
{
    if (pid >= cmrx_process_count || op > CMRX_PROC_RESTART) {
        return CMRX_EINVAL;
    }
    const struct cmrx_process *p = &cmrx_processes[pid];
    if (op == CMRX_PROC_STATE) {
        return p->state->dead;
    }
    if ((thread_active(cmrx_sched.current)->flags & CMRX_PROC_SYSTEM) == 0) {
        return CMRX_EPERM;
    }
    kprintf("process %s: %s by %s\n", p->name, op == CMRX_PROC_KILL ? "kill" : "restart",
            thread_active(cmrx_sched.current)->name);
    process_kill(p, op == CMRX_PROC_RESTART);
    sched_reschedule();
    return CMRX_OK;
}
