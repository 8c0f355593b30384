/* Sim port: the kernel side (see port.h). Linux on x86-64 only.
 *
 * Memory map. Every piece of RAM a thread may use is a set of whole pages
 * (the SDK's host linker script and layout_stack_slot() make them so): the
 * kernel's RAM, each process's .data/.bss, its .shared, each thread's
 * stack slot. Leaving the kernel opens what the next thread's MPU map
 * would hold (its active process's RAM and .shared, the .shared of the
 * process it serves in an RPC call, its own stack) and closes the rest,
 * the kernel's RAM included. The kernel sees everything, as it does on a
 * Cortex-M: entering it opens every region (so that a debugger never stops
 * on a fault of the kernel's own making); a fault in it is a kernel panic.
 */
#define _GNU_SOURCE
#include "gate.h"
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmrx/sys/syscalls.h>

_Static_assert(sizeof(ucontext_t) <= CMRX_SIM_UC_SIZE, "CMRX_SIM_UC_SIZE too small");

#if CMRX_SIM_ASAN
/* Frames a switch abandoned leave AddressSanitizer's poison on a stack;
 * memory the kernel hands out again starts clean. */
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define UNPOISON(a, n) __asan_unpoison_memory_region((const void *)(a), (n))
#else
#define UNPOISON(a, n) ((void)0)
#endif
_Static_assert(sizeof(uintptr_t) == 8, "the sim port is for x86-64");

bool cmrx_sim_switch;

/* The system call tables (kernel/src/syscall.c). The fast calls are
 * called with whole registers: an argument may be a pointer. */
typedef int32_t (*cmrx_syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t);
typedef void (*cmrx_ctx_syscall_fn)(struct cmrx_thread *);
extern const cmrx_syscall_fn cmrx_syscall_table[CMRX_SYS_CTX_FIRST];
extern const cmrx_ctx_syscall_fn cmrx_ctx_syscall_table[CMRX_SYS_RPC_RETURN - CMRX_SYS_CTX_FIRST];

/* --- memory map ---------------------------------------------------------- */

#define PAGE        4096u
#define MAX_REGIONS (2u + 2u * 255u + 256u)

struct region {
    uintptr_t start, end; /* whole pages */
    bool open;            /* PROT_READ | PROT_WRITE now */
};
/* Outside the kernel's RAM (section .cmrx_sim): read while it is closed,
 * on the way in and out. */
#define SIM_DATA __attribute__((section(".cmrx_sim")))
static struct region regions[MAX_REGIONS] SIM_DATA;
static unsigned n_regions SIM_DATA;
static unsigned kernel_region SIM_DATA; /* index of the kernel's RAM */

/* The kernel's RAM, from the host linker script (cmrx-sdk gen). */
extern uint8_t __cmrx_kdata_start[], __cmrx_kdata_end[];

static unsigned region_add(const void *start, const void *end)
{
    uintptr_t s = (uintptr_t)start & ~(uintptr_t)(PAGE - 1u);
    uintptr_t e = ((uintptr_t)end + PAGE - 1u) & ~(uintptr_t)(PAGE - 1u);
    if (s >= e || n_regions == MAX_REGIONS) {
        return MAX_REGIONS;
    }
    regions[n_regions] = (struct region){s, e, true};
    return n_regions++;
}

static void region_set(unsigned i, bool open)
{
    if (i < n_regions && regions[i].open != open) {
        if (mprotect((void *)regions[i].start, regions[i].end - regions[i].start,
                     open ? PROT_READ | PROT_WRITE : PROT_NONE) != 0) {
            perror("cmrx sim: mprotect");
            abort();
        }
        regions[i].open = open;
    }
}

static bool in_region(uintptr_t a, const void *start, const void *end)
{
    uintptr_t s = (uintptr_t)start & ~(uintptr_t)(PAGE - 1u);
    return a >= s && a < (uintptr_t)end;
}

/* Whether region r is in thread t's map. */
static bool mapped(const struct region *r, const struct cmrx_thread *t)
{
    const struct cmrx_process *active = (const struct cmrx_process *)(const void *)t->ctx.mpu_image;
    uintptr_t a = r->start;
    if (in_region(a, t->ctx.stack, t->ctx.stack + t->process->stack_size)) {
        return true; /* its own stack slot */
    }
    if (active->bss_end != NULL && in_region(a, active->data_start, active->bss_end)) {
        return true;
    }
    if (active->shared_end != NULL && in_region(a, active->shared_start, active->shared_end)) {
        return true;
    }
    const struct cmrx_process *c = t->ctx.rpc_caller;
    return c != NULL && c != active && c->shared_end != NULL &&
           in_region(a, c->shared_start, c->shared_end);
}

/* The kernel's RAM closes last: t is in it. */
static void map_thread(const struct cmrx_thread *t)
{
    for (unsigned i = 0; i < n_regions; i++) {
        if (i != kernel_region) {
            region_set(i, mapped(&regions[i], t));
        }
    }
    region_set(kernel_region, false);
}

static void map_all_open(void)
{
    for (unsigned i = 0; i < n_regions; i++) {
        region_set(i, true);
    }
}

static void map_init(void)
{
    kernel_region = region_add(__cmrx_kdata_start, __cmrx_kdata_end);
    for (unsigned i = 0; i < cmrx_process_count; i++) {
        const struct cmrx_process *p = &cmrx_processes[i];
        region_add(p->data_start, p->bss_end);
        region_add(p->shared_start, p->shared_end);
        for (unsigned k = 0; k < p->max_threads; k++) {
            region_add(p->stack_base + k * p->stack_size, p->stack_base + (k + 1u) * p->stack_size);
        }
    }
    region_add(cmrx_idle_stack, cmrx_idle_stack + cmrx_idle_stack_size);
}

/* --- time ------------------------------------------------------------------ */

/* The program's clock: the CPU time the host gives it, plus the time its
 * idle thread waits for the tick. A loaded host (or a debugger holding the
 * program) slows this clock rather than letting time pass while none of
 * the program's code can run: a timeout still stands for work the program
 * could do in it, as on a board, where no other program takes the CPU. */
static uint64_t start_us;  /* the program's clock at boot */
static uint64_t ticks_run; /* ticks the kernel has been given */
static uint64_t idle_us;   /* the idle thread's waits so far */

static uint64_t now_us(void)
{
    /* The CPU time of the one host thread that runs the kernel and every thread. */
    return sim_clock_us(CLOCK_THREAD_CPUTIME_ID) + idle_us;
}

/* The kernel runs: a wait of the idle thread's, if one was going on, ends
 * here and counts. */
static void idle_end(void)
{
    uint64_t since = cmrx_sim_gate.idle_since;
    if (since != 0) {
        idle_us += sim_clock_us(CLOCK_MONOTONIC) - since;
        cmrx_sim_gate.idle_since = 0;
    }
}

/* The ticks due since the last entry, at most a few: a program stopped
 * while it idled (a debugger's breakpoint) skips time rather than firing
 * every timer that would have expired meanwhile in one go. */
static void ticks_catch_up(void)
{
    uint64_t due = (now_us() - start_us) / CMRX_TICK_US;
    if (due > ticks_run + 16u) {
        ticks_run = due - 16u;
    }
    while (ticks_run < due) {
        ticks_run++;
        cmrx_kernel_tick();
    }
}

uint32_t port_tick_phase_us(void)
{
    uint64_t since = now_us() - start_us - ticks_run * CMRX_TICK_US;
    return since > 10u * CMRX_TICK_US ? 10u * CMRX_TICK_US : (uint32_t)since;
}

#if CMRX_TRACE_EVENTS
uint32_t port_trace_clock(void)
{
    return (uint32_t)(now_us() - start_us);
}

uint32_t port_trace_hz(void)
{
    return 1000000u;
}
#endif

/* --- contexts --------------------------------------------------------------- */

static ucontext_t *uc_of(struct cmrx_port_context *c)
{
    return (ucontext_t *)(void *)c->uc;
}

/* A ucontext copied elsewhere: its FP pointer must point into the copy. */
static void uc_moved(ucontext_t *uc)
{
    uc->uc_mcontext.fpregs = &uc->__fpregs_mem;
}

static void uc_copy(ucontext_t *dst, const ucontext_t *src)
{
    memcpy(dst, src, sizeof(*dst));
    uc_moved(dst);
}

void port_ctx_copy(struct cmrx_port_context *dst, const struct cmrx_port_context *src)
{
    *dst = *src;
    uc_moved(uc_of(dst));
}

void port_ctx_call(struct cmrx_thread *t, uintptr_t sp, uintptr_t fn, const uintptr_t args[4],
                   uintptr_t lr)
{
    ucontext_t *uc = uc_of(&t->ctx);
    getcontext(uc);
    uc->uc_link = NULL;
    sigemptyset(&uc->uc_sigmask);
    uintptr_t base = t->ctx.stack_base;
    uintptr_t top = (sp - 16u) & ~(uintptr_t)15u; /* below what sp holds */
    uc->uc_stack.ss_sp = (void *)base;
    uc->uc_stack.ss_size = top > base ? top - base : 0u;
    UNPOISON(base, uc->uc_stack.ss_size);
    makecontext(uc, cmrx_sim_trampoline, 0);
    t->ctx.call[0] = fn;
    t->ctx.call[1] = lr;
    t->ctx.call[2] = sp;
    memcpy(&t->ctx.call[3], args, 4 * sizeof(uintptr_t));
    t->ctx.sp = top;
    t->ctx.xsave = NULL;
}

void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size)
{
    memset(&t->ctx, 0, sizeof(t->ctx));
    t->ctx.mpu_image = p->mpu;
    t->ctx.stack = stack;
    t->ctx.stack_base = (uintptr_t)stack;
    t->ctx.stack_limit = (uintptr_t)(stack + size);
    uintptr_t args[4] = {(uintptr_t)arg, 0, 0, 0};
    port_ctx_call(t, (uintptr_t)(stack + size), (uintptr_t)entry, args,
                  (uintptr_t)cmrx_thread_exit);
}

uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at)
{
    (void)t;
    return at & ~(uintptr_t)15u; /* the x86-64 stack alignment */
}

void stack_scrub(uintptr_t from, uintptr_t to)
{
    if (from < to) {
        UNPOISON(from, to - from);
        memset((void *)from, 0, to - from);
    }
}

void block_copy(uintptr_t to, uintptr_t from, uintptr_t end)
{
    if (from < end) {
        UNPOISON(to, end - from);
        memcpy((void *)to, (const void *)from, end - from);
    }
}

uint32_t port_image_stamp(void)
{
    /* One build, one stamp: where its tables are linked and how many. */
    return (uint32_t)(uintptr_t)cmrx_processes ^ ((uint32_t)cmrx_process_count << 24);
}

/* No interrupt lines on the host: the kernel keeps its own record. */
void port_irq_enable(unsigned irq)
{
    (void)irq;
}

void port_irq_disable(unsigned irq)
{
    (void)irq;
}

/* --- entering and leaving the kernel ------------------------------------------ */

static uint8_t kernel_stack[256u * 1024u] SIM_DATA __attribute__((aligned(16)));
static uint8_t signal_stack[64u * 1024u] SIM_DATA __attribute__((aligned(16)));

/* The thread t runs next: open its map, hand it what it needs, and load it.
 * Never returns: the kernel's stack is abandoned until the next entry. */
__attribute__((noreturn)) static void leave(struct cmrx_thread *t)
{
    struct sim_gate *g = &cmrx_sim_gate;
    g->ret = (uintptr_t)(intptr_t)t->ctx.retval;
    enum sim_mode mode = SIM_GATE; /* the gate or the trampoline reads g first */
    if (t->ctx.call[0] != 0) {
        memcpy(g->call, t->ctx.call, sizeof(g->call));
        t->ctx.call[0] = 0;
    } else if (t->ctx.xsave != NULL) {
        mode = SIM_USER;
    }
    uc_copy(&g->exit, uc_of(&t->ctx));
    g->xsave = t->ctx.xsave; /* read by on_resume() */
    g->xsave_size = t->ctx.xsave_size;
    map_thread(t); /* t is closed from here on */
    g->mode = mode;
    if (g->xsave != NULL) {
        raise(SIGUSR1); /* resume(): every register from g->exit */
    } else {
        setcontext(&g->exit);
    }
    abort();
}

static void run_call(struct cmrx_thread *t, uintptr_t num)
{
    if (num < CMRX_SYS_CTX_FIRST) {
        typedef int32_t (*fast_fn)(uintptr_t, uintptr_t, uintptr_t, uintptr_t);
        fast_fn fn = (fast_fn)(void (*)(void))cmrx_syscall_table[num];
        t->ctx.retval = fn(t->ctx.args[0], t->ctx.args[1], t->ctx.args[2], t->ctx.args[3]);
    } else if (num == CMRX_SYS_RPC_RETURN) {
        ctx_rpc_return(t);
    } else if (num < CMRX_SYS_RPC_RETURN) {
        /* A context call leaves the thread to run in cmrx_sched.next. */
        cmrx_ctx_syscall_table[num - CMRX_SYS_CTX_FIRST](t);
        cmrx_sim_switch = true;
    } else {
        t->ctx.retval = CMRX_ENOSYS;
    }
}

/* The fault's report, in the words a Cortex-M port uses for the same
 * mistake (docs/concepts.md), the signal named. */
static void run_fault(const struct sim_gate *g)
{
    struct cmrx_fault f = {.kind = "MemManage",
                           .cause = "data access violation (SIGSEGV)",
                           .pc = (uint32_t)g->pc,
                           .addr = (uint32_t)g->addr,
                           .pc_valid = true,
                           .addr_valid = true};
    /* The return address of the faulting function, where its frame pointer
     * (the host build keeps them) lies in the thread's stack: a Cortex-M's
     * LR, one call up. */
    const struct cmrx_thread *t = cmrx_sched.current;
    uintptr_t lo = (uintptr_t)t->ctx.stack, hi = lo + t->process->stack_size;
    if (g->fp >= lo && g->fp + 16u <= hi && (g->fp & 7u) == 0) {
        uintptr_t ret = ((const uintptr_t *)g->fp)[1];
        /* A function without a frame of its own leaves its caller's: only
         * an address in the program's code is a return address here. */
        if (access_code_ok((const void *)ret)) {
            f.lr = (uint32_t)ret;
        }
    }
    if (g->signo == SIGSEGV && g->addr == g->pc) {
        f.cause = "execute not allowed (SIGSEGV)";
    } else if (g->signo == SIGBUS) {
        f.kind = "BusFault";
        f.cause = "data bus error (SIGBUS)";
    } else if (g->signo == SIGFPE) {
        f.kind = "UsageFault";
        f.cause = "DIVBYZERO (SIGFPE)";
        f.addr_valid = false;
    } else if (g->signo == SIGILL) {
        f.kind = "UsageFault";
        f.cause = "UNDEFINSTR (SIGILL)";
        f.addr_valid = false;
    }
    cmrx_fault_current(&f);
}

/* Every entry starts here, on the kernel's stack, with the tick blocked. */
static void kernel_entry(void)
{
    struct sim_gate *g = &cmrx_sim_gate;
    g->mode = SIM_KERNEL;
    map_all_open();
    UNPOISON(kernel_stack, sizeof(kernel_stack) - 4096u); /* below this frame */
    struct cmrx_thread *t = cmrx_sched.current;
    if (g->reason != SIM_FAULT) { /* a faulting context is never resumed */
        uc_copy(uc_of(&t->ctx), &g->entry);
        t->ctx.xsave = g->reason == SIM_TICK ? g->xsave : NULL;
        t->ctx.xsave_size = g->xsave_size;
        /* The kernel's frames go below what the thread may still use: the
         * red zone, or the FP state a signal put on its stack. */
        uintptr_t below = t->ctx.xsave != NULL
                              ? (uintptr_t)t->ctx.xsave
                              : (uintptr_t)g->entry.uc_mcontext.gregs[REG_RSP] - 128u;
        t->ctx.sp = below & ~(uintptr_t)15u;
    }
    idle_end();
    ticks_catch_up();
    if (g->reason == SIM_CALL) {
        memcpy(t->ctx.args, g->args, sizeof(t->ctx.args));
        run_call(t, g->num);
    } else if (g->reason == SIM_FAULT) {
        run_fault(g);
    }
    if (cmrx_deferred_pending.any != 0) {
        cmrx_kernel_deferred();
    }
    if (cmrx_sim_switch) {
        cmrx_sim_switch = false;
        struct cmrx_thread *n = cmrx_sched.next;
        if (n->sig_pending != 0) {
            n = cmrx_switch_in(n);
        }
#if CMRX_TRACE_EVENTS
        if (n != cmrx_sched.current) {
            cmrx_trace_switch(n);
        }
#endif
        cmrx_sched.current = n;
    }
    leave(cmrx_sched.current);
}

/* A signal interrupted a thread: keep its registers (its FP and vector
 * state goes on its own stack, below the red zone) and enter the kernel. */
__attribute__((noreturn)) static void enter_from_signal(ucontext_t *uc, int reason)
{
    struct sim_gate *g = &cmrx_sim_gate;
    g->mode = SIM_KERNEL;
    g->reason = reason;
    if (reason != SIM_FAULT) {
        uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP] - 128u;
        const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
        uint32_t size = 512u;
        const struct _fpx_sw_bytes *sw = (const struct _fpx_sw_bytes *)(fp + 464);
        if (sw->magic1 == FP_XSTATE_MAGIC1) {
            size = sw->xstate_size;
        }
        uint8_t *save = (uint8_t *)((sp - size) & ~(uintptr_t)63u);
        memcpy(save, fp, size);
        uc_copy(&g->entry, uc);
        g->xsave = save;
        g->xsave_size = size;
    }
    setcontext(&g->kernel);
    abort();
}

static void on_tick(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si;
    if (cmrx_sim_gate.mode == SIM_USER) {
        enter_from_signal(ctx, SIM_TICK);
    }
    /* In the kernel or the gate: the next entry catches the tick up. */
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    struct sim_gate *g = &cmrx_sim_gate;
    ucontext_t *uc = ctx;
    uintptr_t addr = (uintptr_t)si->si_addr;
    if (g->mode == SIM_KERNEL) {
        map_all_open();
        cmrx_panic(sig == SIGSEGV ? "kernel fault (SIGSEGV)" : "kernel fault",
                   "the kernel itself faulted", (uint32_t)uc->uc_mcontext.gregs[REG_RIP],
                   (uint32_t)addr);
    }
    g->signo = sig;
    g->addr = addr;
    g->pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    g->fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    enter_from_signal(uc, SIM_FAULT);
}

/* Leave the kernel into a context a signal saved: every register as it
 * was, by returning from this handler with them in place. */
static void on_resume(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si;
    struct sim_gate *g = &cmrx_sim_gate;
    ucontext_t *uc = ctx;
    memcpy(uc->uc_mcontext.gregs, g->exit.uc_mcontext.gregs, sizeof(uc->uc_mcontext.gregs));
    memcpy(uc->uc_mcontext.fpregs, g->xsave, g->xsave_size);
    sigemptyset(&uc->uc_sigmask);
}

static void on_signal(int sig, void (*fn)(int, siginfo_t *, void *))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigfillset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void port_init(void)
{
    map_init();
    /* The initial .data of each process, for restarts: the loader put it
     * in place once; the kernel copies it from data_load after a fault. */
    for (unsigned i = 0; i < cmrx_process_count; i++) {
        const struct cmrx_process *p = &cmrx_processes[i];
        if (p->data_load != NULL && p->data_end > p->data_start) {
            memcpy((void *)(uintptr_t)p->data_load, p->data_start,
                   (size_t)(p->data_end - p->data_start));
        }
        if (p->shared_load != NULL && p->shared_end > p->shared_start) {
            memcpy((void *)(uintptr_t)p->shared_load, p->shared_start,
                   (size_t)(p->shared_end - p->shared_start));
        }
    }
    stack_t ss = {.ss_sp = signal_stack, .ss_size = sizeof(signal_stack), .ss_flags = 0};
    sigaltstack(&ss, NULL);
    on_signal(SIGALRM, on_tick);
    on_signal(SIGSEGV, on_fault);
    on_signal(SIGBUS, on_fault);
    on_signal(SIGFPE, on_fault);
    on_signal(SIGILL, on_fault);
    on_signal(SIGUSR1, on_resume);
    start_us = now_us();
}

void port_start_first(struct cmrx_thread *t)
{
    struct sim_gate *g = &cmrx_sim_gate;
    cmrx_sched.current = t;
    cmrx_sched.next = t;
    /* The kernel's entry: a fresh start on its stack, the tick blocked. */
    getcontext(&g->kernel);
    g->kernel.uc_stack.ss_sp = kernel_stack;
    g->kernel.uc_stack.ss_size = sizeof(kernel_stack);
    g->kernel.uc_link = NULL;
    sigemptyset(&g->kernel.uc_sigmask);
    sigaddset(&g->kernel.uc_sigmask, SIGALRM);
    makecontext(&g->kernel, kernel_entry, 0);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    struct itimerval it = {{0, CMRX_TICK_US}, {0, CMRX_TICK_US}};
    setitimer(ITIMER_REAL, &it, NULL);
    leave(t);
}

/* --- the board: console and end, through the host ------------------------------- */

int cmrx_port_semihost_open_console(void)
{
    return STDOUT_FILENO;
}

void cmrx_port_semihost_write(int handle, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(handle, s, n);
        if (w <= 0) {
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

void cmrx_port_semihost_exit(int code)
{
    map_all_open(); /* for the sanitizers' checks at exit */
    exit(code);
}

void cmrx_port_system_reset(void)
{
    /* A reset is a new run of the same program. */
    map_all_open();
    char *argv[] = {"cmrx-host", NULL};
    execv("/proc/self/exe", argv);
    perror("cmrx sim: reset");
    exit(CMRX_PANIC_EXIT);
}

int main(void)
{
    /* Unbuffered: the console's bytes leave in order with the kernel's. */
    setvbuf(stdout, NULL, _IONBF, 0);
    bsp_init();
    cmrx_kernel_main();
}
