/* IPC benchmark, two counters of the same code. An operation is a function
 * (op_*) that the one measuring loop, run(), calls through a pointer; its
 * cost is what a call of it executes beyond a call of op_empty.
 *  - Timer: run(op, N) between two reads of a free-running CMSDK timer whose
 *    rate in instructions is calibrated with a loop of known length; the
 *    whole of run(op_empty, N) is subtracted.
 *  - Trace: first, run(op, 1) once per operation between calls of
 *    bench_mark(), which scripts/profile.py counts in an instruction trace;
 *    the section of run(op_empty, 1) is subtracted.
 * The firmware is the same in both runs, so the two count the same
 * instructions and differ only by the timer's error. */
#include <cmrx/cmrx.h>

#include "peer.h"

/* CMSDK TIMER0 (interrupt source, line TIMER0_IRQ) and TIMER1 (clock),
 * from the build: the board's addresses. */
#define TIMER1_BASE    (TIMER0_BASE + 0x1000u)
#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define CTRL           0x00u
#define VALUE          0x04u
#define RELOAD         0x08u
#define INTCLR         0x0Cu
#define N              10000u

static uint32_t now(void)
{
    return 0xFFFFFFFFu - REG(TIMER1_BASE, VALUE); /* counts up */
}

/* counts -> instructions, in 1/1024 units */
static uint32_t insn_per_count_q10;

/* Exactly 2 instructions per iteration (subs, bne). */
__attribute__((naked)) static void spin(uint32_t n)
{
    (void)n;
    __asm volatile("1: subs r0, r0, #1\n\tbne 1b\n\tbx lr");
}

static void calibrate(void)
{
    uint32_t t0 = now();
    spin(1000000u);
    uint32_t dt = now() - t0;
    insn_per_count_q10 = (uint32_t)((2000000ull * 1024u + dt / 2u) / dt);
}

static uint32_t insns(uint32_t counts)
{
    return (uint32_t)(((uint64_t)counts * insn_per_count_q10 + 512u) >> 10);
}

/* Instructions of the whole run(op_empty, N): what a case's total includes
 * beside its operations. */
static uint32_t loop_total;

static void report(const char *what, uint32_t counts, uint32_t ops)
{
    uint32_t total = insns(counts);
    /* Rounded to the nearest instruction, as the trace's figure is exact. */
    uint32_t per = (total - loop_total + ops / 2u) / ops;
    cmrx_printf("| %-58s | %6lu |\n", what, (unsigned long)per);
}

/* --- operations --- */

typedef uint32_t (*op_fn)(void);

static volatile uint32_t sink;

__attribute__((noinline)) static uint32_t op_empty(void)
{
    return 0;
}

__attribute__((noinline)) static uint32_t op_syscall(void)
{
    return (uint32_t)cmrx_thread_self();
}

__attribute__((noinline)) static uint32_t op_rpc(void)
{
    return (uint32_t)cmrx_rpc_call(&peer_nop, nop);
}

/* The object of the last filler process in the firmware (filler.c), or of
 * peer when there is none: weak, so one bench process fits every firmware. */
#define FILLER(i) extern struct nop_svc filler_nop##i __attribute__((weak));
FILLER(1) FILLER(2) FILLER(3) FILLER(4) FILLER(5) FILLER(6) FILLER(7)
FILLER(8) FILLER(9) FILLER(10) FILLER(11) FILLER(12) FILLER(13) FILLER(14)
static struct nop_svc *far_nop;

static struct nop_svc *farthest(void)
{
    struct nop_svc *const fillers[] = {&filler_nop1, &filler_nop2, &filler_nop3, &filler_nop4,
        &filler_nop5, &filler_nop6, &filler_nop7, &filler_nop8, &filler_nop9, &filler_nop10,
        &filler_nop11, &filler_nop12, &filler_nop13, &filler_nop14};
    struct nop_svc *far = &peer_nop2;
    for (unsigned i = 0; i < sizeof fillers / sizeof fillers[0]; i++) {
        if (fillers[i] != NULL) {
            far = fillers[i];
        }
    }
    return far;
}

/* Two calls, each to another object than the last (of another process when
 * the firmware has one), so the kernel's last-object cache never answers:
 * every call looks its object up. Counted as 2 operations. */
__attribute__((noinline)) static uint32_t op_rpc_alt(void)
{
    uint32_t r = (uint32_t)cmrx_rpc_call(far_nop, nop);
    return r + (uint32_t)cmrx_rpc_call(&peer_nop, nop);
}

__attribute__((noinline)) static uint32_t op_notify(void)
{
    return (uint32_t)cmrx_notify(&peer_doorbell, 1);
}

/* The one measuring loop: every operation pays the same loop around it.
 * noipa: no copy of it specialised for a constant n or op. */
__attribute__((noinline, noipa)) static uint32_t run(op_fn op, uint32_t n)
{
    uint32_t sum = 0;
    do {
        sum += op();
    } while (--n != 0u);
    return sum;
}

static volatile uint32_t yields_left;

static int yielder(void *arg)
{
    (void)arg;
    while (yields_left > 0) {
        yields_left--;
        cmrx_thread_yield();
    }
    return 0;
}

static uint32_t irq_latency_counts;

/* TIMER0 counts at the same rate as TIMER1: how far it ran past zero when
 * the driver thread is back is the interrupt-to-thread latency. */
static void irq_case(void)
{
    const uint32_t reload = 0x20000u;
    REG(TIMER0_BASE, RELOAD) = reload;
    REG(TIMER0_BASE, VALUE) = reload;
    REG(TIMER0_BASE, CTRL) = 1u | 8u; /* enable, interrupt enable */
    uint32_t sum = 0;
    for (unsigned i = 0; i < 64; i++) {
        cmrx_irq_wait(TIMER0_IRQ, CMRX_FOREVER);
        uint32_t v = REG(TIMER0_BASE, VALUE);
        REG(TIMER0_BASE, INTCLR) = 1;
        /* The line fires when the count reaches zero and the timer reloads
         * one count later: v = reload - k means k + 1 counts passed. */
        sum += reload - v + 1u;
    }
    REG(TIMER0_BASE, CTRL) = 0;
    irq_latency_counts = sum;
}

/* Called between the trace's sections: scripts/profile.py closes a section
 * at each call of it. */
__attribute__((noinline)) void bench_mark(void)
{
    __asm volatile("" : : : "memory");
}

/* A section: the marker, then one operation. The same code for every
 * operation, so each section carries the same glue, which the section of
 * op_empty measures. */
__attribute__((noinline, noipa)) static void traced_run(op_fn op)
{
    bench_mark();
    sink = run(op, 1);
}

/* The trace's part: each operation once in a section of its own, after a
 * warm-up call, as the timed loops are warm. Sections: 1 op_empty, 2 system
 * call, 3 RPC, 4 RPC alternating (2 calls), 5 notify, 6 from the timer
 * interrupt's entry to its driver thread. As in the timed loops, the RPC
 * case finds its object in the kernel's last-object cache (op_rpc was the
 * last call) and the alternating one never does (its first call goes
 * elsewhere). */
static void traced(void)
{
    static const op_fn warm[] = {op_empty, op_syscall, op_rpc_alt, op_notify, op_rpc};
    static const op_fn ops[] = {op_empty, op_syscall, op_rpc, op_rpc_alt, op_notify, op_empty};
    for (unsigned i = 0; i < sizeof warm / sizeof warm[0]; i++) {
        sink = run(warm[i], 1);
    }
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        traced_run(ops[i]);
    }
    /* profile.py --from-irq restarts the section at the line's exception
     * entry, so it counts from there to the marker the driver thread calls
     * once it runs. */
    REG(TIMER0_BASE, RELOAD) = 0x4000u;
    REG(TIMER0_BASE, VALUE) = 0x4000u;
    REG(TIMER0_BASE, CTRL) = 1u | 8u;
    cmrx_irq_wait(TIMER0_IRQ, CMRX_FOREVER);
    bench_mark();
    REG(TIMER0_BASE, CTRL) = 0;
    REG(TIMER0_BASE, INTCLR) = 1;
}

/* Instructions of run(op, N), from the calibrated timer. */
static uint32_t timed(op_fn op, uint32_t *sum)
{
    uint32_t t0 = now();
    *sum = run(op, N);
    return now() - t0;
}

static int main_thread(void *arg)
{
    (void)arg;
    far_nop = farthest();
    traced();

    REG(TIMER1_BASE, RELOAD) = 0xFFFFFFFFu;
    REG(TIMER1_BASE, VALUE) = 0xFFFFFFFFu;
    REG(TIMER1_BASE, CTRL) = 1u;
    calibrate();
    cmrx_printf("calibration: %lu.%03lu instructions per timer count\n",
                (unsigned long)(insn_per_count_q10 >> 10),
                (unsigned long)((insn_per_count_q10 & 1023u) * 1000u / 1024u));

    uint32_t sum;
    loop_total = insns(timed(op_empty, &sum));

    cmrx_printf("\n| %-58s | %6s |\n", "operation (" BENCH_BOARD ", " BENCH_CPU ")", "insns");
    cmrx_printf("|------------------------------------------------------------|--------|\n");

    report("trivial system call (cmrx_thread_self)", timed(op_syscall, &sum), N);
    report("RPC round trip to an empty method in another process", timed(op_rpc, &sum), N);
    report("RPC round trip, each call to another object than the last", timed(op_rpc_alt, &sum),
           2u * N);

    /* Two threads of equal priority, each yielding N/2 times. */
    cmrx_thread_set_priority(cmrx_thread_self(), 2);
    yields_left = N;
    cmrx_tid_t a = cmrx_thread_create(yielder, NULL, 12);
    cmrx_tid_t b = cmrx_thread_create(yielder, NULL, 12);
    uint32_t t0 = now();
    cmrx_thread_set_priority(cmrx_thread_self(), 20); /* let them run */
    uint32_t dt = now() - t0;
    cmrx_thread_set_priority(cmrx_thread_self(), 10);
    cmrx_thread_join(a, NULL);
    cmrx_thread_join(b, NULL);
    cmrx_printf("| %-58s | %6lu |\n", "thread switch by yield, per switch",
                (unsigned long)((insns(dt) + N / 2u) / N));

    report("notify waking a higher-priority thread in another process", timed(op_notify, &sum),
           N);
    if (sum != N) {
        cmrx_printf("BENCH ERROR: %lu wake-ups for %u notifies\n", (unsigned long)sum, N);
    }

    irq_case();
    cmrx_printf("| %-58s | %6lu |\n", "interrupt to driver thread running (cmrx_irq_wait)",
                (unsigned long)((insns(irq_latency_counts) + 32u) / 64u));
    cmrx_printf("\n(an operation: what a call of it costs beyond a call of an empty function;\n"
                " notify: one round trip = notify, switch, wait, switch back)\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(main_thread, NULL);
