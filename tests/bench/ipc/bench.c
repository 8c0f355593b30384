/* IPC benchmark. Each case runs N times between two reads of a free-running
 * CMSDK timer; the timer's rate in instructions is calibrated first with a
 * loop of known length, and the cost of an empty loop is subtracted. */
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

/* Instructions of the whole empty loop (N iterations, each storing to sink as
 * the measured loops do): what a case's total includes beside its operation. */
static uint32_t loop_total;

static void report(const char *what, uint32_t counts, uint32_t ops)
{
    uint32_t total = insns(counts);
    uint32_t per = (total - loop_total) / ops;
    cmrx_printf("| %-58s | %6lu |\n", what, (unsigned long)per);
}

/* --- cases --- */

static volatile uint32_t sink;

static void empty_loop(void)
{
    for (uint32_t i = 0; i < N; i++) {
        sink = i;
    }
}

static void syscalls(void)
{
    for (uint32_t i = 0; i < N; i++) {
        sink = (uint32_t)cmrx_thread_self();
    }
}

static void rpcs(void)
{
    for (uint32_t i = 0; i < N; i++) {
        sink = (uint32_t)cmrx_rpc_call(&peer_nop, nop);
    }
}

static uint32_t woken;

static void rings(void)
{
    for (uint32_t i = 0; i < N; i++) {
        woken += (uint32_t)cmrx_notify(&peer_doorbell, 1);
    }
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

/* Profiling build (-DBENCH_PROFILE): each case once, between calls to
 * bench_mark(), for scripts/profile.py to count in a single-step trace. */
__attribute__((noinline)) void bench_mark(unsigned id)
{
    __asm volatile("" : : "r"(id) : "memory");
}

#if defined(BENCH_PROFILE)
static int main_thread(void *arg)
{
    (void)arg;
    for (int warm = 0; warm < 2; warm++) {
        sink = (uint32_t)cmrx_thread_self();
        sink = (uint32_t)cmrx_rpc_call(&peer_nop, nop);
        woken += (uint32_t)cmrx_notify(&peer_doorbell, 1);
    }
    /* Section 1 is the glue every section has (a store, a marker call):
     * profile.py subtracts it, as the timed run subtracts its loop. */
    bench_mark(1);
    sink = 0;
    bench_mark(2);
    sink = (uint32_t)cmrx_thread_self();
    bench_mark(3);
    sink = (uint32_t)cmrx_rpc_call(&peer_nop, nop);
    bench_mark(4);
    woken += (uint32_t)cmrx_notify(&peer_doorbell, 1);
    bench_mark(5);
    /* The interrupt case: profile.py counts from the line's exception
     * entry to the marker the driver thread calls once it runs. */
    REG(TIMER0_BASE, RELOAD) = 0x4000u;
    REG(TIMER0_BASE, VALUE) = 0x4000u;
    REG(TIMER0_BASE, CTRL) = 1u | 8u;
    cmrx_irq_wait(TIMER0_IRQ, CMRX_FOREVER);
    bench_mark(6);
    REG(TIMER0_BASE, CTRL) = 0;
    REG(TIMER0_BASE, INTCLR) = 1;
    cmrx_shutdown(0);
    return 0;
}
#else
static int main_thread(void *arg)
{
    (void)arg;
    REG(TIMER1_BASE, RELOAD) = 0xFFFFFFFFu;
    REG(TIMER1_BASE, VALUE) = 0xFFFFFFFFu;
    REG(TIMER1_BASE, CTRL) = 1u;
    calibrate();
    cmrx_printf("calibration: %lu.%03lu instructions per timer count\n",
                (unsigned long)(insn_per_count_q10 >> 10),
                (unsigned long)((insn_per_count_q10 & 1023u) * 1000u / 1024u));

    uint32_t t0 = now();
    empty_loop();
    loop_total = insns(now() - t0);

    cmrx_printf("\n| %-58s | %6s |\n", "operation (" BENCH_BOARD ", " BENCH_CPU ")", "insns");
    cmrx_printf("|------------------------------------------------------------|--------|\n");

    t0 = now();
    syscalls();
    report("trivial system call (cmrx_thread_self)", now() - t0, N);

    t0 = now();
    rpcs();
    report("RPC round trip to an empty method in another process", now() - t0, N);

    /* Two threads of equal priority, each yielding N/2 times. */
    cmrx_thread_set_priority(cmrx_thread_self(), 2);
    yields_left = N;
    cmrx_tid_t a = cmrx_thread_create(yielder, NULL, 12);
    cmrx_tid_t b = cmrx_thread_create(yielder, NULL, 12);
    t0 = now();
    cmrx_thread_set_priority(cmrx_thread_self(), 20); /* let them run */
    uint32_t dt = now() - t0;
    cmrx_thread_set_priority(cmrx_thread_self(), 10);
    cmrx_thread_join(a, NULL);
    cmrx_thread_join(b, NULL);
    cmrx_printf("| %-58s | %6lu |\n", "thread switch by yield, per switch",
                (unsigned long)(insns(dt) / N));

    t0 = now();
    rings();
    dt = now() - t0;
    report("notify waking a higher-priority thread in another process", dt, N);
    if (woken != N) {
        cmrx_printf("BENCH ERROR: %lu wake-ups for %u notifies\n", (unsigned long)woken, N);
    }

    irq_case();
    cmrx_printf("| %-58s | %6lu |\n", "interrupt to driver thread running (cmrx_irq_wait)",
                (unsigned long)(insns(irq_latency_counts) / 64u));
    cmrx_printf("\n(notify: one round trip = notify, switch, wait, switch back)\n");
    cmrx_shutdown(0);
    return 0;
}
#endif

CMRX_THREAD(main_thread, NULL);
