/* Processes: start (memory initialisation, autostart threads) and the
 * fault policies that kill or restart a whole process.
 *
 * Killing a process ends its threads at home at once. A thread of it that
 * is serving a call in another process is doomed instead: it dies on its
 * way back, and gets CMRX_DOOMED_GRACE_MS to get there before it is
 * stopped where it is, so that no service can hold a dead process's
 * thread (and its restart) hostage. A restart waits for that, and backs
 * off when the process keeps faulting soon after it restarts: 10 ms,
 * doubling, until after CMRX_RESTART_LIMIT such faults the kernel gives up
 * and leaves the process dead (a supervisor may still restart it).
 */
#include "kernel.h"

#include <stdint.h>
#include <string.h>

/* Processes waiting for their doomed threads or their back-off, by due
 * tick (each one's state.reap, first member of the state). */
static struct cmrx_deadline_queue reap_head;

int process_index(const struct cmrx_process *p)
{
    return (int)(p - cmrx_processes);
}

/* Zero [to, to + n): the 32-byte blocks with the port's block stores,
 * the ends with memset(), which zeroes about 2 bytes an instruction:
 * 254 instructions for a 512-byte chunk were the longest part of a
 * restart's kernel call. */
static void zero(uint8_t *to, size_t n)
{
    uintptr_t a = (uintptr_t)to, e = a + n;
    uintptr_t from = (a + 31u) & ~(uintptr_t)31u, end = e & ~(uintptr_t)31u;
    if (from >= end) {
        memset(to, 0, n);
        return;
    }
    memset(to, 0, from - a);
    stack_scrub(from, end);
    memset((void *)end, 0, e - end);
}

/* Copy [from, from + n) to [to, to + n): the whole 32-byte blocks with
 * the port's block loads and stores, the rest with memcpy(), which copied
 * a 512-byte chunk of .data in about 240 instructions more: the longest
 * part of a restart's kernel call once .bss was zeroed by blocks. */
static void copy(uint8_t *to, const uint8_t *from, size_t n)
{
    size_t blocks = (((uintptr_t)to | (uintptr_t)from) & 3u) == 0 ? n / 32u * 32u : 0;
    block_copy((uintptr_t)to, (uintptr_t)from, (uintptr_t)from + blocks);
    memcpy(to + blocks, from + blocks, n - blocks);
}

/* Re-initialise up to `budget` bytes of p's memory, on from where the last
 * step stopped: .data from its load image, .bss zeroed, .shared from its
 * load image, as one run of bytes. True once all of it is done. */
static bool process_init_step(const struct cmrx_process *p, size_t budget)
{
    struct cmrx_process_state *st = p->state;
    const struct cmrx_image *img = st->image;
    /* An updatable process's version says where its .data and .bss end;
     * the rest of its RAM reserve is zeroed with its .bss. */
    uint8_t *data_end = img != NULL ? img->data_end : p->data_end;
    const struct {
        uint8_t *to;
        const uint8_t *from; /* NULL: zero */
        size_t len;
    } seg[3] = {
        {p->data_start, img != NULL ? img->data_load : p->data_load,
         (size_t)(data_end - p->data_start)},
        {data_end, NULL, (size_t)(p->bss_end - data_end)},
        {p->shared_start, p->shared_load, (size_t)(p->shared_end - p->shared_start)},
    };
    size_t off = st->init_off;
    for (unsigned i = 0; i < 3; i++) {
        if (off >= seg[i].len) {
            off -= seg[i].len;
            continue;
        }
        size_t left = seg[i].len - off;
        size_t n = left < budget ? left : budget;
        if (seg[i].from != NULL) {
            copy(seg[i].to + off, seg[i].from + off, n);
        } else {
            /* A chunk that stops short ends on a 32-byte boundary, so
             * that only the first and last chunks have ends to memset(). */
            uintptr_t at = (uintptr_t)(seg[i].to + off);
            uintptr_t cut = (at + n) & ~(uintptr_t)31u;
            if (n < left && cut > at) {
                n = cut - at;
            }
            zero(seg[i].to + off, n);
        }
        st->init_off = (uint32_t)(st->init_off + n);
        if (n < left) {
            return false; /* the budget is spent (or cut to a boundary) */
        }
        budget -= n;
        if (budget == 0) {
            return st->init_off == seg[0].len + seg[1].len + seg[2].len;
        }
        off = 0;
    }
    return true;
}

/* p's memory is initialised: it is alive, its autostart threads start. */
static void process_go(const struct cmrx_process *p)
{
    struct cmrx_process_state *st = p->state;
    st->dead = 0;
    st->initializing = 0;
    st->started = time_ticks();
    rpc_restart_waiters(p);
    const struct cmrx_autostart *first = p->autostart, *end = p->autostart_end;
    if (st->image != NULL) {
        first = st->image->autostart;
        end = st->image->autostart_end;
        if (st->updating) {
            st->updating = 0;
            kprintf("process %s: version %lu running\n", p->name,
                    (unsigned long)st->image->version);
        }
    }
    for (const struct cmrx_autostart *a = first; a < end; a++) {
        unsigned prio = a->priority == CMRX_PRIO_PROCESS_DEFAULT ? p->priority : a->priority;
        int err = CMRX_OK;
        if (thread_spawn(p, a->entry, a->arg, prio, &err) == NULL) {
            kprintf("process %s: autostart thread %u not started (error %d)\n", p->name,
                    (unsigned)(a - first), err);
        }
    }
}

void process_set_image(const struct cmrx_process *p, const struct cmrx_image *img)
{
    struct cmrx_process_state *st = p->state;
    st->image = img;
    st->vtables = img != NULL ? img->vtables : p->vtables;
    st->vtables_end = img != NULL ? img->vtables_end : p->vtables_end;
    st->objects_end = (uintptr_t)(img != NULL ? img->data_end : p->data_end) & ~(uintptr_t)3u;
    st->load_off = (intptr_t)((uintptr_t)(img != NULL ? img->data_load : p->data_load) -
                              (uintptr_t)p->data_start);
}

void process_start(const struct cmrx_process *p)
{
    const struct cmrx_image *img = NULL;
    if (p->update != NULL && (img = cmrx_updater->boot_image(p)) == NULL) {
        p->state->dead = 1; /* update_boot_image() said why */
        return;
    }
    process_set_image(p, img);
    p->state->init_off = 0;
    process_init_step(p, SIZE_MAX); /* at boot, all at once */
    process_go(p);
}

void process_init(void)
{
    reap_head.root = NULL;
    reap_head.first = NULL;
}

void processes_start(void)
{
    process_order_init();
    for (unsigned i = 0; i < cmrx_process_count; i++) {
        process_start(&cmrx_processes[i]);
    }
}

static void reap_at(struct cmrx_process_state *st, uint32_t due)
{
    if (st->reaping) {
        deadline_remove(&reap_head, &st->reap);
    }
    st->reaping = 1;
    st->reap.due = due;
    deadline_insert(&reap_head, &st->reap);
}

/* Restart p: its memory is initialised a chunk now and a chunk per tick
 * after (so that a large .bss does not keep the kernel busy; a small
 * process is up at once), then it goes. Its services answer
 * CMRX_ERPC_DEAD until then. */
static void process_restart(const struct cmrx_process *p)
{
    struct cmrx_process_state *st = p->state;
    st->restarts++;
    st->restart_queued = 0;
    st->init_off = 0;
    if (!st->updating) {
        kprintf("process %s restarted (%u)\n", p->name, (unsigned)st->restarts);
    }
    if (process_init_step(p, CMRX_INIT_CHUNK)) {
        process_go(p);
    } else {
        st->initializing = 1;
        reap_at(st, time_ticks() + 1u);
    }
}

/* Stop doomed thread t of p where it is: unwind it home through every
 * call it is in (scrubbing what the services left on its stack), then end
 * it. */
static void doomed_stop(struct cmrx_thread *t)
{
    kprintf("process %s: thread %d did not return from %s; stopped there\n", t->process->name,
            thread_id(t), thread_active(t)->name);
    struct cmrx_call_frame *out = t->frames;
    while (out->prev != NULL) {
        out = out->prev;
    }
    t->frames = out;
    rpc_unwind(t, CMRX_EKILLED); /* back home, so it is finished there */
}

/* p's grace or back-off is over: stop what is left of it, restart it if
 * that was asked; or, while it restarts, initialise the next chunk of its
 * memory. True if it did that (a tick does one chunk at most). */
static bool process_reap(const struct cmrx_process *p)
{
    struct cmrx_process_state *st = p->state;
    if (st->reaping) {
        deadline_remove(&reap_head, &st->reap);
        st->reaping = 0;
    }
    if (st->initializing) {
        if (process_init_step(p, CMRX_INIT_CHUNK)) {
            process_go(p);
        } else {
            reap_at(st, time_ticks() + 1u);
        }
        return true;
    }
    for (unsigned i = 0; i < cmrx_thread_count && st->doomed != 0; i++) {
        struct cmrx_thread *t = &cmrx_threads[i];
        if (t->process == p && thread_doomed(t) && t->state != CMRX_T_FREE &&
            t->state != CMRX_T_ZOMBIE) {
            doomed_stop(t);
        }
    }
    if (st->restart_queued) {
        process_restart(p);
    }
    return false;
}

bool process_reap_due(uint32_t now, unsigned work)
{
    for (struct cmrx_deadline *d; work != 0 && (d = deadline_due(&reap_head, now)) != NULL;
         work--) {
        const struct cmrx_process *p =
            &cmrx_processes[(struct cmrx_process_state *)(void *)d - cmrx_process_state];
        /* A process's reap and restart are its own work, done at its
         * ceiling: while a thread above that is ready (an interrupt's
         * driver, say), none of p's could run, and the chunk would only
         * delay that thread. It stays due, held until no such thread is
         * ready. */
        if (sched_pick()->priority < p->max_priority) {
            sched_hold(p->max_priority);
            return false;
        }
        if (process_reap(p)) {
            return true; /* the others' chunks are due still: the next ticks, in turn */
        }
    }
    return false;
}

void process_doomed_gone(struct cmrx_thread *t)
{
    const struct cmrx_process *p = t->process;
    struct cmrx_process_state *st = p->state;
    if (t->state == CMRX_T_ZOMBIE) {
        t->state = CMRX_T_FREE; /* nobody of its killed process joins it */
    }
    /* Back in time: restart now unless a back-off is running (its
     * deadline then stands for the grace too). Not while process_reap()
     * itself stops the doomed threads. */
    if (--st->doomed == 0 && st->restart_queued && st->reaping && !st->backoff) {
        process_reap(p);
    }
}

/* How long p waits before its restart, in ms, or -1 to give up: a fault
 * soon after the last (re)start counts towards the limit and doubles the
 * wait. */
static int32_t restart_backoff(struct cmrx_process_state *st)
{
    if ((time_ticks() - st->started) * (CMRX_TICK_US / 1000u) >= CMRX_RESTART_STABLE_MS) {
        st->fails = 0;
    }
    if (st->fails >= CMRX_RESTART_LIMIT) {
        return -1;
    }
    st->fails++;
    return st->fails == 1 ? 0 : (int32_t)(CMRX_RESTART_FIRST_MS << (st->fails - 2u));
}

/* CMRX_PROC_CAUSE's answers below CMRX_CAUSE_ASKED fit the state's two
 * bits with this one for "asked". */
#define CAUSE_ASKED 3u

void process_kill(const struct cmrx_process *p, bool restart, int32_t cause)
{
    struct cmrx_process_state *st = p->state;
    bool fault = cause == CMRX_CAUSE_FAULT;
    st->dead = 1;
    st->cause = cause >= CMRX_CAUSE_ASKED ? CAUSE_ASKED : (uint8_t)cause & 3u;
    st->asker = (uint8_t)cause;
    irq_release_process(p);
    rpc_restart_waiters(p); /* killed while it restarted: they see what comes next */
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
    int32_t wait = 0; /* ms */
    if (!fault) {
        st->fails = 0; /* asked for: a fresh start */
    } else if (restart && (wait = restart_backoff(st)) < 0) {
        kprintf("process %s: %u quick faults in a row, left dead\n", p->name, (unsigned)st->fails);
        restart = false;
    }
    st->restart_queued = restart;
    st->backoff = wait > 0;
    if (st->doomed != 0) {
        kprintf("process %s %s when %u thread(s) return from calls\n", p->name,
                restart ? "restarts" : "killed", (unsigned)st->doomed);
        if (wait < (int32_t)CMRX_DOOMED_GRACE_MS) {
            wait = CMRX_DOOMED_GRACE_MS;
        }
    } else if (!restart) {
        kprintf("process %s killed\n", p->name);
    } else if (wait > 0) {
        kprintf("process %s restarts in %ld ms\n", p->name, (long)wait);
    }
    st->initializing = 0; /* a restart in progress starts over */
    if (wait > 0) {
        reap_at(st, time_ticks() + 1u + (uint32_t)wait * 1000u / CMRX_TICK_US);
    } else if (restart) {
        process_restart(p);
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

/* A context call: killing a process may unwind the calling thread itself
 * (a call it made into the process), which needs its saved context. */
void ctx_process_control(struct cmrx_thread *t)
{
    uint32_t pid = (uint32_t)port_syscall_arg(t, 0);
    uint32_t op = (uint32_t)port_syscall_arg(t, 1);
    if (pid >= cmrx_process_count || op > CMRX_PROC_CAUSE) {
        port_set_return(t, CMRX_EINVAL);
        return;
    }
    const struct cmrx_process *p = &cmrx_processes[pid];
    if (op == CMRX_PROC_STATE) {
        /* A restart that is owed (back-off, grace) or under way is told
         * apart from a kill: services keep what such a process owns. */
        const struct cmrx_process_state *st = p->state;
        port_set_return(t, !st->dead                                ? CMRX_PROC_ALIVE
                           : st->restart_queued || st->initializing ? CMRX_PROC_RESTARTING
                                                                    : CMRX_PROC_KILLED);
        return;
    }
    if (op == CMRX_PROC_CAUSE) {
        const struct cmrx_process_state *st = p->state;
        port_set_return(t, st->cause == CAUSE_ASKED ? CMRX_CAUSE_ASKED + st->asker : st->cause);
        return;
    }
    const struct cmrx_process *self = thread_active(t);
    if ((self->flags & CMRX_PROC_SYSTEM) == 0) {
        port_set_return(t, CMRX_EPERM);
        return;
    }
    kprintf("process %s: %s by %s\n", p->name, op == CMRX_PROC_KILL ? "kill" : "restart",
            self->name);
    /* First: if the thread is unwound out of p, its call's result wins. */
    port_set_return(t, CMRX_OK);
    process_kill(p, op == CMRX_PROC_RESTART, CMRX_CAUSE_ASKED + process_index(self));
    sched_reschedule();
}
