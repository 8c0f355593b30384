/* The portable kernel's data model and the interfaces between its modules.
 *
 * Nothing here touches a hardware register: what differs per CPU lives
 * behind the port interface (port_api.h, implemented in kernel/arch/<port>/).
 */
#ifndef CMRX_KERNEL_H
#define CMRX_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>
#include <cmrx/format.h>
#include <cmrx/process.h>
#include <cmrx/rpc.h>
#include <cmrx/system.h>
#include <cmrx/time.h>
#include <cmrx/update.h>

#include "port.h"
#include "port_api.h"

#define CMRX_PRIORITIES    32u
#define CMRX_IDLE_PRIORITY 31u
#define CMRX_TICK_WORK     4u    /* wake-ups, timer expiries and reaps a tick does at most */
#define CMRX_PANIC_EXIT    99    /* shutdown code after a kernel panic */
#define CMRX_RPC_MAX_DEPTH 4u    /* nested RPC calls per thread */

/* Process flags, as generated from the process declaration. */
#define CMRX_PROC_SYSTEM  0x01u /* may call cmrx_shutdown() */
#define CMRX_PROC_UPDATER 0x02u /* may stage and commit process images (update.c) */
#define CMRX_PROC_FLASH   0x04u /* may call cmrx_flash_op() (flash.c) */

/* What happens to a process when one of its threads faults. */
enum cmrx_fault_policy {
    CMRX_POLICY_KILL_THREAD = 0,
    CMRX_POLICY_KILL_PROCESS,
    CMRX_POLICY_RESTART,
};

/* An entry of a deadline queue (time.c). The entries due at one tick form
 * a bucket, a ring in the order they were queued; the first of each is a
 * node of a height-balanced (AVL) tree of the buckets in due order. So
 * queuing or taking out an entry costs O(log n) whatever the queue holds,
 * and O(1) when its tick already has a bucket (timers of one period, say).
 * The due queues (sleeps, timeouts and periodic timers) and the queue of
 * processes waiting to be reaped or restarted are such trees. */
struct cmrx_deadline {
    struct cmrx_deadline *link[2]; /* a bucket's first: [0] due before it, [1] after */
    struct cmrx_deadline *parent;  /* a bucket's first: NULL at the root */
    struct cmrx_deadline *next;    /* the bucket's ring, in queuing order */
    struct cmrx_deadline *prev;
    uint32_t due;   /* tick */
    int8_t balance; /* a bucket's first: height of link[1]'s subtree minus link[0]'s */
    uint8_t queued; /* CMRX_DL_*: not queued, in a bucket, first of its bucket */
};
#define CMRX_DL_IDLE   0u
#define CMRX_DL_MEMBER 1u
#define CMRX_DL_FIRST  2u

/* A deadline queue: the tree of buckets and its entry due soonest (the
 * first of its leftmost bucket). */
struct cmrx_deadline_queue {
    struct cmrx_deadline *root;
    struct cmrx_deadline *first;
};

/* Run-time state of a process (kernel RAM, one per process). */
struct cmrx_process_state {
    struct cmrx_deadline reap; /* first: in the reap queue while `reaping` */
    union {
        uint32_t started;  /* tick of its last (re)start */
        uint32_t init_off; /* while `initializing`: bytes of its memory done */
    };
    uint16_t restarts;
    uint8_t dead : 1;           /* killed by its fault policy: its services fail */
    uint8_t restart_queued : 1; /* restart once reaped (doomed threads gone, back-off over) */
    uint8_t reaping : 1;        /* in the reap queue */
    uint8_t backoff : 1;        /* its restart waits for a back-off, not just its threads */
    uint8_t initializing : 1;   /* restarting: its memory is being initialised */
    uint8_t fails : 4;          /* faults in a row, each soon after a restart */
    uint8_t updating : 1;       /* a new image waits for the old version's threads */
    uint8_t log_slot : 1;       /* updatable: the slot the commit log names (commit_log.c) */
    /* Why it was last killed or restarted: CMRX_CAUSE_NONE.._UPDATE, or
     * CAUSE_ASKED (process.c) for CMRX_CAUSE_ASKED + asker. */
    uint8_t cause : 2;
    uint8_t doomed; /* its threads still serving calls elsewhere */
    uint8_t asker;  /* the process that asked, for CAUSE_ASKED */
    /* The area k-th in address order (k = this state's index) of process
     * RAM ([0]) and of .shared memory ([1]): where it starts and whose it
     * is. process_of() bisects the starts, which sit here, not behind the
     * process table, so a step is one load. */
    uint8_t by[2];
    uintptr_t from[2];
    /* The RPC interfaces it serves now: its declaration's, or its
     * image's if it is updatable (set when it starts and when it is
     * updated), where the RPC path finds them with its `dead` flag. */
    const struct cmrx_vtable_desc *vtables, *vtables_end;
    /* Its service objects are the ones it declared: initialised .data
     * below objects_end (the end of .data, rounded down to a word, so
     * that a word-aligned object below it has its first word below it),
     * whose first word's initial value (in its load image, at the
     * object's address + load_off) names one of its vtables. What its RAM
     * holds now may be a client's words. */
    uintptr_t objects_end;
    intptr_t load_off;
    /* Updatable processes: the image it runs (in one of its slots). */
    const struct cmrx_image *image;
};

/* Restart policy limits (process.c, docs/concepts.md): a process that
 * faults again within CMRX_RESTART_STABLE_MS of a restart waits before the
 * next one, 10 ms doubling each time; after CMRX_RESTART_LIMIT such faults
 * in a row the kernel gives up and leaves it dead. A thread of a killed
 * process serving a call elsewhere has CMRX_DOOMED_GRACE_MS (<cmrx/process.h>)
 * to return before it is stopped where it is. */
#define CMRX_RESTART_STABLE_MS 1000u
#define CMRX_RESTART_FIRST_MS  10u
#define CMRX_RESTART_LIMIT     8u
/* A restart initialises a process's memory this many bytes per tick. */
#define CMRX_INIT_CHUNK 512u
/* A commit's image is hashed this many SHA-256 rounds per slice (a block
 * has 64; its start is a slice of its own): a slice costs less than a
 * restart's chunk (docs/performance.md). */
#define CMRX_VERIFY_ROUNDS 4u
/* A tick does up to this many slices of a verification while no thread an
 * interrupt woke waits for the processor (port_switch_pending()): each is
 * bounded, so a woken thread waits one slice at most, and a busy system
 * verifies this many times faster than with one slice a tick. */
#define CMRX_VERIFY_SLICES 8u

/* Where an updatable process's images live (generated by the SDK; see
 * docs/updating.md): two slots of slot_size bytes, each a whole number of
 * the flash's erase units. */
struct cmrx_update_decl {
    const struct cmrx_image *slot[2];
    uint32_t slot_size;
};

/* The commit log (commit_log.c, docs/updating.md): two erase units of
 * flash at `base`, each `unit` bytes, holding entries appended in order,
 * the valid one with the highest sequence number per process winning.
 * Flash is never rewritten in place: an entry is programmed once into
 * erased flash, a unit is erased only when every entry in it is stale. */
struct cmrx_commit_log {
    uintptr_t base;
    uint32_t unit;
};
extern const struct cmrx_commit_log cmrx_commit_log;

/* The board and CPU this firmware is for (cmrx_config.c, with updatable
 * processes): an image must name the same. */
extern const char cmrx_firmware_board[];
extern const char cmrx_firmware_cpu[];

/* A process, declared at build time. Lives in flash, generated by the SDK. */
struct cmrx_process {
    /* MPU register image of the process's regions (data, shared, MMIO).
     * First member: the port's context switch loads it by address. */
    uint32_t mpu[CMRX_PORT_PROCESS_MPU_WORDS];
    const char *name;
    uint8_t *data_start; /* .data, initialised from data_load */
    uint8_t *data_end;
    const uint8_t *data_load;
    uint8_t *bss_start; /* .bss, zeroed */
    uint8_t *bss_end;
    uint8_t *shared_start; /* .shared, initialised from shared_load */
    uint8_t *shared_end;
    const uint8_t *shared_load;
    const struct cmrx_autostart *autostart; /* autostart thread table */
    const struct cmrx_autostart *autostart_end;
    const struct cmrx_vtable_desc *vtables; /* RPC interfaces it serves */
    const struct cmrx_vtable_desc *vtables_end;
    const uint16_t *irqs;             /* interrupts it owns */
    struct cmrx_process_state *state; /* its run-time state (kernel RAM) */
    uint8_t *stack_base;              /* max_threads stacks of stack_size bytes each */
    uint32_t stack_size;
    uint32_t stack_mpu_attr; /* port-encoded attributes of one stack region */
    uint8_t first_thread;    /* this process owns thread slots */
    uint8_t max_threads;     /* [first_thread, first_thread + max_threads) */
    uint8_t first_timer;     /* and periodic timers */
    uint8_t max_timers;      /* [first_timer, first_timer + max_timers) */
    uint8_t priority;        /* default priority of autostart threads */
    uint8_t flags;           /* CMRX_PROC_* */
    uint8_t policy;          /* enum cmrx_fault_policy */
    uint8_t n_irqs;
    uint8_t max_priority; /* ceiling: no thread of it runs above this priority */
    uint16_t rpc_stack;   /* stack its methods get (bytes, rounded up to the MPU's
                             granularity); 0: all the caller has left */
    /* The processes its services serve: a bitmap of process indices (its
     * own included), one bit each. NULL: every process may call them.
     * Declared with CALLERS / `callers:`; the RPC path refuses everyone
     * else with CMRX_EPERM before a method runs. */
    const uint32_t *callers;
    /* Updatable: its slots. Then data_load, data_end, bss_start, autostart
     * and vtables come from the image it runs (state->image), and
     * [data_start, bss_end) is its whole RAM reserve. NULL: not updatable. */
    const struct cmrx_update_decl *update;
};

enum cmrx_thread_state {
    CMRX_T_FREE = 0,
    CMRX_T_READY,    /* in a ready queue (the running thread is READY too) */
    CMRX_T_SLEEPING, /* in the timeout queue only */
    CMRX_T_JOINING,  /* waiting for wait_obj (a thread) to exit */
    CMRX_T_WAITING,  /* in the wait list, for a notify on wait_obj */
    CMRX_T_SIGWAIT,  /* waiting for one of the signals in sig_wait */
    CMRX_T_ZOMBIE,   /* exited, holds exit_code until joined */
};

/* Thread flags. */
#define CMRX_TF_TIMEOUT   0x01u /* in the timeout queue */
#define CMRX_TF_IN_SIGNAL 0x02u /* running its signal handler */
#define CMRX_TF_DOOMED    0x04u /* its process was killed while it ran elsewhere */

/* Frame the kernel keeps on a thread's stack for each RPC call and signal
 * handler it enters: the whole context to come back to. The kernel builds
 * it only below a stack pointer it checked lies in the thread's stack
 * window, and then ends the window below it: the MPU hides it from the
 * thread (callee or handler) and access_ok() from the kernel acting for
 * the thread, so only the kernel reads it back (docs/security.md). */
enum cmrx_frame_kind {
    CMRX_FRAME_RPC = 1,
    CMRX_FRAME_SIGNAL = 2,
};

struct cmrx_call_frame {
    struct cmrx_call_frame *prev;      /* outer frame, or NULL */
    const struct cmrx_process *callee; /* RPC: the process called */
    uintptr_t method;                  /* RPC: the method's code address (fault reports) */
    uintptr_t base;                    /* the stack window of the callee or handler: */
    uintptr_t limit;                   /*   [base, limit) */
    uint8_t kind;                      /* enum cmrx_frame_kind */
    uint8_t depth;                     /* RPC nesting level, 1 = outermost */
    struct cmrx_port_frame port;       /* RPC: the port's per-call state */
    struct cmrx_port_context saved;    /* the context to return to */
};

/* Thread control block. */
struct cmrx_thread {
    struct cmrx_port_context ctx;       /* first: the port's assembly relies on it */
    uint32_t sig_pending;               /* second: checked by the port at switch-in */
    struct cmrx_call_frame *frames;     /* third: innermost RPC/signal frame, or NULL */
    const struct cmrx_process *process; /* home process */
    struct cmrx_thread *next;           /* ready ring or wait list; stale in neither */
    struct cmrx_deadline timeout;       /* in the timeout queue while CMRX_TF_TIMEOUT */
    const void *wait_obj;               /* JOINING: the thread; WAITING: the word */
    union {
        int *join_result;  /* JOINING: where to store its exit code, or NULL */
        int32_t exit_code; /* ZOMBIE: the code it exited with */
        uint32_t sig_wait; /* SIGWAIT: the signals it waits for */
    };
    void (*sig_handler)(uint32_t signals);
    uint8_t state;
    uint8_t priority;
    uint8_t flags;
    uint32_t gen; /* bumped on each reuse of the slot: stale ids fail (CMRX_TID_GEN_BITS) */
};

/* A thread id is its slot (8 bits) and the slot's generation: ids stay
 * positive, so a generation repeats after 2^23 threads in one slot. */
#define CMRX_TID_GEN_BITS 23u

/* The process whose memory map the thread runs with: its home process, or
 * the callee of the RPC it is in. Every port points ctx.mpu_image at the
 * process's first member. */
static inline const struct cmrx_process *thread_active(const struct cmrx_thread *t)
{
    return (const struct cmrx_process *)(const void *)t->ctx.mpu_image;
}

static inline uint8_t *thread_stack(const struct cmrx_thread *t, uint32_t *size)
{
    *size = t->process->stack_size;
    return port_thread_stack(t);
}

/* t's stack window: the part of its stack slot it may use now,
 * [base, top). Below its innermost frame (RPC call or signal handler), and
 * for a method within the callee's stack budget; else the whole slot. The
 * one rule for what the MPU maps, what access_ok() allows and where the
 * kernel may build a frame. */
static inline uintptr_t thread_window_top(const struct cmrx_thread *t)
{
    if (t->frames != NULL) {
        return t->frames->limit;
    }
    uint32_t size;
    return (uintptr_t)thread_stack(t, &size) + size;
}

static inline uintptr_t thread_window_base(const struct cmrx_thread *t)
{
    return t->frames != NULL ? t->frames->base : (uintptr_t)port_thread_stack(t);
}

/* Is t serving an RPC call (running a method)? A method acts for the
 * callee: it may not touch the thread's own state (signals, timers). */
static inline bool thread_in_method(const struct cmrx_thread *t)
{
    return t->frames != NULL && t->frames->kind == CMRX_FRAME_RPC;
}

#include "port_impl.h"

/* Is sp, t's stack pointer, in its stack window? The stack pointer is the
 * thread's to set: only a frame built below one that is lies out of
 * everybody's reach once the window ends below the frame. */
static inline bool stack_sp_ok(const struct cmrx_thread *t, uintptr_t sp)
{
    return sp >= thread_window_base(t) && sp <= thread_window_top(t);
}

/* For a frame of `size` bytes below stack_sp_ok() sp, leaving at least
 * `room` bytes of stack under it: the MPU boundary t's window then ends
 * at (the frame lies in [limit, sp)), or 0 if there is no room. */
static inline uintptr_t stack_frame_limit(const struct cmrx_thread *t, uintptr_t sp, size_t size,
                                          size_t room)
{
    uintptr_t base = thread_window_base(t);
    if (sp < base + size + room) {
        return 0;
    }
    uintptr_t limit = port_stack_boundary(t, (sp - size) & ~(uintptr_t)7u);
    return limit >= base + room ? limit : 0;
}

/* A periodic timer. Processes own timer slots as they own thread slots
 * (declared with TIMERS), so the kernel pays RAM only for timers in use. */
struct cmrx_timer {
    struct cmrx_deadline deadline; /* first: in the timer queue while armed */
    struct cmrx_thread *owner;     /* the thread it signals; NULL: free */
    uint32_t period;               /* ticks */
};

/* Generated per firmware by the SDK (cmrx_config.c). */
extern const struct cmrx_process cmrx_processes[];
extern struct cmrx_process_state cmrx_process_state[];
extern const uint8_t cmrx_process_count;
extern const uint8_t cmrx_irq_owner[];    /* per line: owner's index + 1, or 0 */
extern const uint16_t cmrx_irq_lines;     /* lines in cmrx_irq_owner */
extern struct cmrx_thread cmrx_threads[]; /* idle thread is the last slot */
extern struct cmrx_timer cmrx_timers[];
extern const uint8_t cmrx_thread_count;
extern const struct cmrx_process cmrx_idle_process;
extern uint8_t cmrx_idle_stack[];
extern const uint32_t cmrx_idle_stack_size;

/* Scheduler state. current/next are read by the port's context switch. */
struct cmrx_sched {
    struct cmrx_thread *current; /* whose context is on the CPU; NULL once the
                                    kernel ended it while it ran (not saved) */
    struct cmrx_thread *next;    /* what the next context switch loads */
};
extern struct cmrx_sched cmrx_sched;

/* sched.c */
void sched_init(void);
void sched_ready_add(struct cmrx_thread *t);
void sched_ready_remove(struct cmrx_thread *t);
void sched_rotate(unsigned priority);
struct cmrx_thread *sched_pick(void);
/* A yield of the running thread of that priority: rotate, then pick. (Not
 * sched_yield(): in the host simulation that would replace the C library's.) */
struct cmrx_thread *sched_yield_pick(unsigned priority);
void sched_reschedule(void);
unsigned sched_ready_count(unsigned priority);
/* The kernel held back work of this priority (the tick's wake-ups, timer
 * expiries or a restart's chunk) because a more urgent thread is ready:
 * once none is ready any more, the scheduler has it done (time_held_due())
 * before the next pick. */
void sched_hold(unsigned priority);

/* thread.c */
struct cmrx_thread *thread_spawn(const struct cmrx_process *p, cmrx_thread_entry_t entry, void *arg,
                                 unsigned priority, int *err);
struct cmrx_thread *thread_lookup(int tid);
/* A thread of the calling thread's active process, or NULL. */
struct cmrx_thread *thread_lookup_own(int tid);
int thread_id(const struct cmrx_thread *t);
void thread_finish(struct cmrx_thread *t, int32_t code);
/* Take the running thread t off the CPU into a blocked state; with a
 * timeout (ticks from now, CMRX_NO_TIMEOUT for none) it also waits in the
 * timeout queue. */
#define CMRX_NO_TIMEOUT 0xFFFFFFFFu
void thread_block(struct cmrx_thread *t, uint8_t state, const void *obj, uint32_t timeout_ticks);
/* A blocking system call of the running thread self: block in `state` on
 * obj for up to timeout_us (CMRX_FOREVER: no limit), in the wait list if
 * WAITING. A doomed thread may not block (CMRX_EKILLED) and a zero timeout
 * does not (CMRX_ETIMEDOUT). CMRX_OK once blocked: the waker sets the
 * call's result. */
int32_t thread_wait(struct cmrx_thread *self, uint8_t state, const void *obj, uint32_t timeout_us);
/* Make a blocked thread ready; its blocking call returns `result`. */
void thread_wake(struct cmrx_thread *t, int32_t result);
/* thread_wake() for a thread already out of the wait list. */
void thread_resume(struct cmrx_thread *t, int32_t result);
/* The stack slot of thread t: [base, base + *size). */
static inline uint8_t *thread_stack(const struct cmrx_thread *t, uint32_t *size);

/* time.c */
/* start_tick: 0 at boot; tests start near the wrap-around. */
void time_init(uint32_t start_tick);
uint32_t time_ticks(void);
/* Ticks until the first tick boundary at or after `us` microseconds from now. */
uint32_t time_us_to_ticks(uint32_t us);
/* Queue d (its `due` set) behind every entry due at or before it: O(log n). */
void deadline_insert(struct cmrx_deadline_queue *q, struct cmrx_deadline *d);
/* q's entry due soonest if it is due at tick `now` (wrap-safe), else NULL. */
struct cmrx_deadline *deadline_due(const struct cmrx_deadline_queue *q, uint32_t now);
/* Take d out of q, if it is queued there: O(log n). */
void deadline_remove(struct cmrx_deadline_queue *q, struct cmrx_deadline *d);
/* The due queues, one per priority (the tick serves the highest first):
 * add or remove an entry of a thread of that priority. */
void due_init(void);
void due_add(unsigned priority, struct cmrx_deadline *d);
void due_remove(unsigned priority, struct cmrx_deadline *d);
void time_timeout_add(struct cmrx_thread *t, uint32_t wake_tick);
void time_timeout_cancel(struct cmrx_thread *t);
/* t's priority changed from `old`: its timeout and timer follow it. */
void time_priority_moved(struct cmrx_thread *t, unsigned old);
void cmrx_kernel_tick(void);
/* The tick's work that waited for more urgent threads (sched_hold())
 * may go on: post it to the deferred step (CMRX_DEFERRED_HELD), which
 * calls time_held_work(), as much as one tick does. */
void time_held_due(void);
void time_held_work(void);
/* Interrupts were masked for `us` microseconds from `phase` microseconds into
 * the current tick (port_tick_phase_us()): the tick interrupt, pending once,
 * stands for one tick; the ticks beyond it are counted here. */
void time_masked(uint32_t phase, uint32_t us);

/* timer.c: periodic timers (they raise CMRX_SIGALRM) */
void timer_init(void);
/* Expire the timer due soonest in due queue q (due at `now`). */
void timer_expire(struct cmrx_deadline_queue *q, uint32_t now);
void timer_cancel(struct cmrx_thread *t);
/* t's priority changed from `old`: its timer goes to its new due queue. */
void timer_moved(struct cmrx_thread *t, unsigned old);

/* wait.c: notify/wait on a word, interrupt-side notifications */
void wait_init(void);
void wait_list_append(struct cmrx_thread *t);
void wait_list_remove(struct cmrx_thread *t);
/* Wake up to `count` threads waiting on obj, highest priority first; their
 * wait returns `result`. */
unsigned wait_notify(const void *obj, unsigned count, int32_t result);
/* The thread first in line among obj's waiters (left waiting), or NULL. */
struct cmrx_thread *wait_first(const void *obj);
/* Work deferred to the kernel's PendSV, a byte per kind. Interrupt
 * handlers post with one byte store (no read-modify-write, which they
 * would have to make atomic); the kernel clears a kind's byte before it
 * does that work, so work posted meanwhile is done now or by the PendSV
 * its poster pends. The ports read all kinds as one word. */
enum {
    CMRX_DEFERRED_NOTIFY,
    CMRX_DEFERRED_IRQ,
    CMRX_DEFERRED_UPDATE,
    CMRX_DEFERRED_HELD,
    CMRX_DEFERRED_KINDS
};
union cmrx_deferred {
    volatile uint8_t kind[CMRX_DEFERRED_KINDS];
    volatile uint32_t any;
    struct {
        volatile uint16_t wakeups; /* interrupts' kinds (NOTIFY, IRQ) */
        volatile uint16_t kernel;  /* the kernel's own (UPDATE, HELD) */
    };
};
_Static_assert(CMRX_DEFERRED_KINDS <= 4, "the ports read the kinds as one word");
_Static_assert(CMRX_DEFERRED_UPDATE / 2 == 1 && CMRX_DEFERRED_HELD / 2 == 1,
               "the kernel's own kinds share the second half-word");
extern union cmrx_deferred cmrx_deferred_pending;
/* Post work of one kind to the deferred step (from interrupt or kernel
 * context): its byte, then the PendSV that does it. */
static inline void kernel_defer(unsigned kind)
{
    cmrx_deferred_pending.kind[kind] = 1;
    port_request_switch();
}
void cmrx_kernel_deferred(void);
/* The wake-ups interrupts have posted (notifies, interrupt lines): part
 * of cmrx_kernel_deferred(), and done by the tick too before its
 * background work, so that it sees the threads they wake ready
 * (process_reap_due() waits for those above a process's ceiling). */
void kernel_deferred_wakeups(void);
/* For kernel-level interrupt handlers (BSP code, IRQ delivery): wake one
 * thread waiting on obj, from interrupt context. 0, or -1 if dropped. */
int cmrx_isr_notify(const void *obj);

/* irq.c */
void irq_init(void);
/* Interrupt entry for line irq, called by the port at interrupt priority. */
void cmrx_irq_isr(unsigned irq);
void irq_deferred(void);
void irq_release_process(const struct cmrx_process *p);

/* signal.c */
/* Deliver t's pending signals if it may take them now (t is about to run). */
void cmrx_signal_switch_in(struct cmrx_thread *t);
/* Called by the port for a thread about to run with signals pending. */
struct cmrx_thread *cmrx_switch_in(struct cmrx_thread *t);
void signal_raise(struct cmrx_thread *t, uint32_t signals);

/* rpc.c */
void rpc_init(void);
/* Leave t's innermost call frame: RPC (the caller sees `result`). A
 * doomed thread that is back home is finished (and rescheduled). */
void rpc_unwind(struct cmrx_thread *t, int32_t result);
/* Unwind every thread out of process p (it is dying); they get `result`. */
void rpc_evict(const struct cmrx_process *p, int32_t result);
/* p is up again, or killed: the callers that waited for its restart call
 * again (CMRX_ERPC_RETRY). */
void rpc_restart_waiters(const struct cmrx_process *p);
/* Whether t waits for a restarting callee (a signal ends that wait with
 * CMRX_ERPC_RETRY, not CMRX_EINTR: the call is made again). */
bool rpc_waits_for_restart(const struct cmrx_thread *t);
/* The descriptor in [d, end) of vtable vt, or NULL: which interface an
 * object whose first word is vt serves (an RPC call, an image's calls). */
static inline const struct cmrx_vtable_desc *
vtable_find(const struct cmrx_vtable_desc *d, const struct cmrx_vtable_desc *end, const void *vt)
{
    for (; d < end; d++) {
        if (d->vtable == vt) {
            return d;
        }
    }
    return NULL;
}
/* owner.c: order the processes by address for process_of() (once, at
 * boot, before any call of it). */
void process_order_init(void);
/* The process that owns [addr, addr + len): in its .data/.bss, or with
 * `shared` also in its .shared, or NULL. O(log n) in processes. */
const struct cmrx_process *process_of(const void *addr, size_t len, bool shared);

/* access.c: may thread t read (or write) [addr, addr + len)? */
bool access_ok(const struct cmrx_thread *t, const void *addr, size_t len, bool write);
/* May the kernel store a result of len bytes at addr for t: writable by t
 * and word-aligned? (For every call that writes words into user memory.) */
bool access_out_ok(const struct cmrx_thread *t, const void *addr, size_t len);
/* Is fn an address unprivileged threads may execute (user flash)? */
bool access_code_ok(const void *fn);

/* process.c */
void process_start(const struct cmrx_process *p);
/* p runs `img` (NULL: not updatable): where its tables are from now on. */
void process_set_image(const struct cmrx_process *p, const struct cmrx_image *img);
/* The reap queue back to its boot state (empty): for the host tests. */
void process_init(void);
/* At boot: order the processes by address for process_of(), then start
 * each one. */
void processes_start(void);
int process_index(const struct cmrx_process *p);
/* Kill p, and restart it if `restart`. `cause` says why, as
 * CMRX_PROC_CAUSE tells it: CMRX_CAUSE_FAULT (its fault policy: restarts
 * back off and give up), CMRX_CAUSE_UPDATE, or CMRX_CAUSE_ASKED + the pid
 * of the SYSTEM process that asked. */
void process_kill(const struct cmrx_process *p, bool restart, int32_t cause);
/* Reap up to `work` processes whose grace, back-off or restart step is
 * due (from the tick), in due order, stopping at one whose ceiling a
 * ready thread is above (held for it, sched_hold()). True if it
 * initialised a chunk of one. */
bool process_reap_due(uint32_t now, unsigned work);
/* thread_finish() ended a doomed thread t: free its slot and restart its
 * process if that waited for it. */
void process_doomed_gone(struct cmrx_thread *t);

/* A doomed thread may not block: it is to return home. Blocking system
 * calls return CMRX_EKILLED to it at once. */
static inline bool thread_doomed(const struct cmrx_thread *t)
{
    return (t->flags & CMRX_TF_DOOMED) != 0;
}

/* fault.c: what the port learned about a fault of the current thread. */
struct cmrx_fault {
    const char *kind;  /* fault class, e.g. "MemManage" */
    const char *cause; /* decoded cause, e.g. "data access violation (DACCVIOL)" */
    uint32_t pc;
    uint32_t lr; /* the faulting code's link register (valid with pc) */
    uint32_t addr;
    bool pc_valid;
    bool addr_valid;
};
void cmrx_fault_current(const struct cmrx_fault *f);
/* At boot: report the crash record the last run left, keep it for
 * cmrx_crash_record(), and clear it. */
void fault_boot(void);
__attribute__((noreturn)) void cmrx_panic(const char *kind, const char *what, uint32_t pc,
                                          uint32_t addr);

/* console.c: a kernel message, "[cmrx] " and the formatted text, queued
 * for the console (the next writer or the idle thread formats it and puts
 * it out). Arguments must stay valid: strings in flash. Conversions: see
 * console.c (printf's, and %A: a flag and an address, 0x%08x or ?). */
int kprintf(const char *fmt, ...);
/* Put every queued kernel message out now (shutdown, panic). */
void console_flush(void);
/* Put all of buf out now, waiting for the UART as long as it takes: only
 * where the system stops (the trace's dump at shutdown). */
void console_write_all(const char *buf, size_t len);

/* trace.c: the kernel trace, compiled in only with CMRX_TRACE_EVENTS (a
 * power of two: the ring's size in events; the SDK's CMRX_TRACE option).
 * Every event is recorded in kernel context (never at interrupt priority),
 * so the ring needs no lock. Without the option TRACE() is nothing at all:
 * its arguments are not even evaluated. */
enum cmrx_trace_type {
    CMRX_TR_SWITCH = 1, /* thread: now on the CPU; a: its active process */
    CMRX_TR_CALL,       /* thread enters an RPC: a: callee, b: depth, arg: method */
    CMRX_TR_RETURN,     /* thread leaves one: a: process back in, b: depth left, arg: result */
    CMRX_TR_IRQ,        /* interrupt work taken: arg: the line */
    CMRX_TR_NOTIFY,     /* thread notifies: arg: the word, a: how many it may wake (255: more) */
    CMRX_TR_WAKE,       /* thread made ready: arg: what its wait returns */
    CMRX_TR_FAULT,      /* thread faulted: a: process, arg: pc (0: unknown) */
    CMRX_TR_START,      /* thread started: a: its process, arg: its entry */
    CMRX_TR_EXIT,       /* thread ended: arg: its exit code */
};
#if CMRX_TRACE_EVENTS
void trace_event(unsigned type, const struct cmrx_thread *t, unsigned a, unsigned b, uint32_t arg);
/* The process index the trace records for p (255: the idle thread's). */
unsigned trace_process(const struct cmrx_process *p);
/* Put the whole ring out on the console (shutdown, panic). */
void trace_dump(void);
/* Empty the ring (its boot state; the host tests reset with it). */
void trace_init(void);
/* t goes on the CPU (the port's context switch, and the first thread). */
void cmrx_trace_switch(const struct cmrx_thread *t);
#define TRACE(type, t, a, b, arg) trace_event(type, t, a, b, (uint32_t)(arg))
#define TRACE_PROC(p)             trace_process(p)
#else
#define TRACE(type, t, a, b, arg) ((void)0)
#define TRACE_PROC(p)             0u
#endif

/* kernel.c */
__attribute__((noreturn)) void cmrx_kernel_main(void);

/* System calls: fast ones get their arguments in registers (syscall.c);
 * context calls (yield, exit, rpc call/return, signal return, process
 * control, update commit) get the calling thread with its whole context
 * saved in its TCB, may rewrite it, and leave in cmrx_sched.next the
 * thread the port runs when the call ends. */
int32_t sys_thread_self(void);
int32_t sys_thread_create(cmrx_thread_entry_t entry, void *arg, uint32_t priority);
int32_t sys_thread_join(int32_t tid, int *exit_code);
int32_t sys_thread_set_priority(int32_t tid, uint32_t priority);
int32_t sys_thread_get_priority(int32_t tid);
int32_t sys_usleep(uint32_t us);
int32_t sys_time_us(void);
int32_t sys_console_write(const char *buf, uint32_t len);
/* The idle thread's call (only its): a bounded slice of the kernel's
 * background work, kernel messages first. >0 while there is more. */
int32_t sys_idle_work(void);
int32_t sys_shutdown(int32_t code);
int32_t sys_crash_record(struct cmrx_crash_info *out);
int32_t sys_wait(const volatile uint32_t *word, uint32_t expected, uint32_t timeout_us);
int32_t sys_notify(const volatile uint32_t *word, uint32_t count);
int32_t sys_irq_enable(uint32_t irq);
int32_t sys_irq_disable(uint32_t irq);
int32_t sys_irq_wait(uint32_t irq, uint32_t timeout_us);
int32_t sys_setitimer(uint32_t period_us);
int32_t sys_signal_handler(void (*handler)(uint32_t));
int32_t sys_signal_send(int32_t tid, uint32_t signals);
int32_t sys_signal_wait(uint32_t mask, uint32_t timeout_us);
int32_t sys_process_self(void);
int32_t sys_process_restarts(uint32_t pid);
int32_t sys_process_name(uint32_t pid, char *buf, uint32_t size);
int32_t sys_rpc_caller(void);
int32_t sys_rpc_caller_run(const void *buf, uint32_t len);
int32_t sys_rpc_buffer(const void *buf, uint32_t len);
int32_t sys_update_write(uint32_t pid, uint32_t offset, const void *buf, uint32_t len);
/* Answers in every firmware (a process without updatable ones has
 * processes to name); the updater fills in what is updatable. */
int32_t sys_update_info(uint32_t pid, struct cmrx_update_info *out);
int32_t sys_flash_op(uint32_t op, uint32_t addr, const void *data, uint32_t len);
void ctx_thread_yield(struct cmrx_thread *t);
void ctx_thread_exit(struct cmrx_thread *t);
void ctx_process_control(struct cmrx_thread *t);
void ctx_rpc_call(struct cmrx_thread *t);
void ctx_rpc_return(struct cmrx_thread *t);
void ctx_signal_return(struct cmrx_thread *t);
void ctx_update_commit(struct cmrx_thread *t);

/* update.c, linked only into firmware with updatable processes: their
 * cmrx_config.c points cmrx_updater at cmrx_update_impl, others leave it
 * NULL (and the update system calls answer CMRX_EINVAL). */
struct cmrx_updater {
    /* At boot: the image updatable process p runs (the slot its commit
     * record names, if sound, else the other one), or NULL if neither is. */
    const struct cmrx_image *(*boot_image)(const struct cmrx_process *p);
    int32_t (*write)(uint32_t pid, uint32_t offset, const void *buf, uint32_t len);
    /* A commit: the cheap checks, then its caller waits while tick()
     * verifies the image (docs/updating.md). */
    void (*commit)(struct cmrx_thread *t);
    /* At a tick, and for the idle thread: a slice of the verification
     * under way, if any. True while there is more to do. ctx_saved: the
     * running thread's registers are in its context (not at a tick), so
     * that the switch may unwind it (else PendSV's deferred work does). */
    bool (*step)(bool ctx_saved);
    /* For cmrx_update_info(): updatable p's version, slots and busy flag
     * into out (zeroed); why its last commit was refused, or "". */
    const char *(*info)(const struct cmrx_process *p, struct cmrx_update_info *out);
};
extern const struct cmrx_updater *const cmrx_updater;
extern const struct cmrx_updater cmrx_update_impl;
const struct cmrx_image *update_boot_image(const struct cmrx_process *p);

/* The commit log (commit_log.c). At boot, the first call reads it: the
 * slot it names for updatable process p (slot A when it names none). */
unsigned commit_log_slot(const struct cmrx_process *p);
/* Append an entry naming slot `slot` of updatable process p; when this
 * returns CMRX_OK the entry is in flash, and a reset boots that slot (if
 * sound). A full unit is compacted into the other first. CMRX_OK, or the
 * driver's error (nothing changed then). */
int32_t commit_log_append(const struct cmrx_process *p, unsigned slot);

/* Board support package: implemented by every BSP. */
void bsp_init(void);
/* Put out what the console UART takes of buf now, without waiting (LF as
 * CR LF); the bytes of buf consumed. A caller stopped short comes back
 * with the rest. */
size_t bsp_console_put(const char *buf, size_t len);
__attribute__((noreturn)) void bsp_shutdown(int code);
/* Reset the MCU (the emulated machine too), the console flushed first. */
__attribute__((noreturn)) void bsp_reset(void);

/* Flash the board's kernel code erases and programs for processes with the
 * right (flash.c, cmrx/flash.h): the window [base, base + size), its erase
 * unit and page (powers of two). size 0, the default: the board does not. */
struct bsp_flash {
    uint32_t base, size, erase_size, page_size;
};
extern const struct bsp_flash bsp_flash;
/* The board's flash driver (bsp.yaml memory.flash.driver), for process
 * slots and the commit log (update.c, commit_log.c) and for cmrx_flash_op()
 * (flash.c, which checks a process's request first). Each returns when the
 * operation is done: CMRX_OK, CMRX_EIO if the controller reports an error,
 * CMRX_ENOSYS on a board without a driver (the defaults, flash.c).
 * Erase the unit (bsp.yaml memory.flash.erase_size) at addr to 0xFF. */
int32_t bsp_flash_erase(uintptr_t addr);
/* Program len bytes (a multiple of 4, at a multiple of 4; the kernel gives
 * whole aligned double words, and never crosses a 256-byte boundary) from
 * src, kernel RAM, at addr, which is erased. */
int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len);

/* Userspace library entry points the kernel starts threads in. */
__attribute__((noreturn)) void cmrx_thread_exit(int code);
int cmrx_idle_thread(void *arg);
void cmrx_rpc_return_trampoline(void);
void cmrx_signal_return_trampoline(void);

#endif
