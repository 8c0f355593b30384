/* IPC benchmark, two counters of the same code. An operation is a function
 * (op_*) that the one measuring loop, run(), calls through a pointer; its
 * cost is what a call of it executes beyond a call of op_empty.
 *  - Timer: run(op, N) between two reads of a free-running CMSDK timer whose
 *    rate in instructions is calibrated with a loop of known length; the
 *    whole of run(op_empty, N) is subtracted.
 *  - Trace: before the timed loops, run(op, 1) once per operation between
 *    calls of bench_mark(), which scripts/profile.py counts in an
 *    instruction trace; the section of run(op_empty, 1) is subtracted.
 * The firmware is the same in both runs, so the two count the same
 * instructions and differ only by the timer's error. */
#include <cmrx/cmrx.h>

#include "peer.h"

/* CMSDK TIMER0 (interrupt source, line TIMER0_IRQ) and TIMER1 (the clock,
 * clock.h), from the build: the board's addresses. */
#include "../clock.h"

#define N 10000u

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
#define FILLER(i) extern struct nop_svc filler_nop##i __attribute__((weak))
FILLER(1);
FILLER(2);
FILLER(3);
FILLER(4);
FILLER(5);
FILLER(6);
FILLER(7);
FILLER(8);
FILLER(9);
FILLER(10);
FILLER(11);
FILLER(12);
FILLER(13);
FILLER(14);
static struct nop_svc *far_nop;

static struct nop_svc *farthest(void)
{
    struct nop_svc *const fillers[] = {&filler_nop1,  &filler_nop2,  &filler_nop3,  &filler_nop4,
                                       &filler_nop5,  &filler_nop6,  &filler_nop7,  &filler_nop8,
                                       &filler_nop9,  &filler_nop10, &filler_nop11, &filler_nop12,
                                       &filler_nop13, &filler_nop14};
    struct nop_svc *far = &peer_nop2;
    for (unsigned i = 0; i < sizeof fillers / sizeof fillers[0]; i++) {
        if (fillers[i] != NULL) {
            far = fillers[i];
        }
    }
    return far;
}

/* Two calls, each to another object than the last (of another process when
 * the firmware has one): the kernel's cache of the last two objects
 * answers from its older entry. Counted as 2 operations. */
__attribute__((noinline)) static uint32_t op_rpc_alt(void)
{
    uint32_t r = (uint32_t)cmrx_rpc_call(far_nop, nop);
    return r + (uint32_t)cmrx_rpc_call(&peer_nop, nop);
}

/* Three calls, each to an object other than the last two, so the kernel's
 * object cache never answers: every call looks its object up. Counted as
 * 3 operations. In this order the objects op_rpc_alt leaves in the cache
 * (peer_nop, then far_nop) are the two each cycle leaves too: the traced
 * call, which follows op_rpc_alt's, misses three times as well. */
__attribute__((noinline)) static uint32_t op_rpc_miss(void)
{
    uint32_t r = (uint32_t)cmrx_rpc_call(&peer_nop3, nop);
    r += (uint32_t)cmrx_rpc_call(far_nop, nop);
    return r + (uint32_t)cmrx_rpc_call(&peer_nop, nop);
}

__attribute__((noinline)) static uint32_t op_notify(void)
{
    return (uint32_t)cmrx_notify(&peer_doorbell, 1);
}

/* Two notifies of words nobody waits on (the first words of the objects
 * op_rpc_alt calls), each another word than the last, so the kernel's
 * last-word cache never answers: every notify looks its word's owner up.
 * No switch. Counted as 2 operations. */
__attribute__((noinline)) static uint32_t op_notify_alt(void)
{
    uint32_t r = (uint32_t)cmrx_notify((volatile uint32_t *)(void *)far_nop, 1);
    return r + (uint32_t)cmrx_notify((volatile uint32_t *)(void *)&peer_nop, 1);
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
void bench_mark(void);

/* The marker in the loop is there in the timed run too: a switch costs
 * the same in both, marker call included. */
static int yielder(void *arg)
{
    (void)arg;
    while (yields_left > 0) {
        yields_left--;
        bench_mark();
        cmrx_thread_yield();
    }
    return 0;
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
 * warm-up call, as the timed loops are warm, and after the interrupt case,
 * as the timed loops are (after it, a notify with 8 processes costs 4 more:
 * wait_list_append walks one more entry of its bucket). As in
 * the timed loops, the RPC case finds its object in the kernel's
 * object cache (op_rpc was the last call), the alternating RPC case its
 * first object in the cache's older entry and its second in the newer,
 * the missing one none of its three (see op_rpc_miss), the notify case
 * its word in the last-word cache (op_notify was the last notify) and the
 * alternating notify case never (its first word is another). */
static void traced(void)
{
    static const op_fn warm[] = {op_empty,      op_syscall, op_rpc_miss, op_rpc_alt,
                                 op_notify_alt, op_notify,  op_rpc};
    static const op_fn ops[] = {op_empty,    op_syscall, op_rpc,        op_rpc_alt,
                                op_rpc_miss, op_notify,  op_notify_alt, op_empty};
    for (unsigned i = 0; i < sizeof warm / sizeof warm[0]; i++) {
        sink = run(warm[i], 1);
    }
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        traced_run(ops[i]);
    }
}

/* Reads the word at addr j instructions (j < 200) later than for j = 0: a
 * jump into a run of 16-bit nops, then the load, at bench_read, the marker
 * that ends the trace's interrupt section (the instructions before the
 * load are the time at which it reads). Aligned: adr counts from the word
 * the function starts at. */
__attribute__((naked, noinline, aligned(4))) static uint32_t read_later(uint32_t j,
                                                                        volatile uint32_t *addr)
{
    (void)j;
    (void)addr;
    __asm volatile("adr.w r2, bench_read\n\t"
                   "sub.w r2, r2, r0, lsl #1\n\t"
                   "orr.w r2, r2, #1\n\t"
                   "bx r2\n\t"
                   ".rept 200\n\tnop.n\n\t.endr\n"
                   ".global bench_read\n\t"
                   ".type bench_read, %function\n"
                   "bench_read:\n\t"
                   "ldr r0, [r1]\n\t"
                   "bx lr\n\t");
}

#define IRQ_SAMPLES 200u
static uint32_t irq_counts;

/* Interrupt to driver thread. The line fires when TIMER0 reaches zero; the
 * driver thread reads TIMER0 when it runs, a count being 40 instructions
 * (an385; 50 on an505): one reading only says in which count the read
 * fell. Sample j delays the read by j instructions, j = 0 .. 199 (a
 * whole number p of counts of c = 40 or 50 instructions): since the sum
 * over j < c of floor((R + j) / c) is R, the readings sum to p R plus
 * c p (p - 1) / 2, which gives R, the instructions from the line to the
 * read of sample 0. The marker bench_read, the read itself, closes a
 * trace section that profile.py --from-irq starts at the line's exception
 * entry: the trace counts sample 0's R. */
static void irq_case(void)
{
    const uint32_t reload = 0x20000u;
    REG(TIMER0_BASE, RELOAD) = reload;
    REG(TIMER0_BASE, VALUE) = reload;
    REG(TIMER0_BASE, CTRL) = 1u | 8u; /* enable, interrupt enable */
    uint32_t sum = 0;
    for (uint32_t j = 0; j < IRQ_SAMPLES; j++) {
        cmrx_irq_wait(TIMER0_IRQ, CMRX_FOREVER);
        uint32_t v = read_later(j, &REG(TIMER0_BASE, VALUE));
        REG(TIMER0_BASE, INTCLR) = 1;
        /* The counter stays at zero for one count after the line fires,
         * then reloads: v = reload - k means k + 1 whole counts passed. */
        sum += reload - v + 1u;
    }
    REG(TIMER0_BASE, CTRL) = 0;
    irq_counts = sum;
}

/* Two threads of equal priority switching n times by yield (n / 2 each):
 * the timer's counts from their start to their end. In the trace (n = 8,
 * sections 210-216) each section is one switch from marker to marker. */
static uint32_t yield_case(uint32_t n)
{
    cmrx_thread_set_priority(cmrx_thread_self(), 2);
    yields_left = n;
    cmrx_tid_t a = cmrx_thread_create(yielder, NULL, 12);
    cmrx_tid_t b = cmrx_thread_create(yielder, NULL, 12);
    uint32_t t0 = now();
    cmrx_thread_set_priority(cmrx_thread_self(), 20); /* let them run */
    uint32_t dt = now() - t0;
    cmrx_thread_set_priority(cmrx_thread_self(), 10);
    cmrx_thread_join(a, NULL);
    cmrx_thread_join(b, NULL);
    return dt;
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
    /* Trace sections (scripts/bench.sh reads them by number): 1 the
     * interrupt case's sample 0, 2-200 its other samples, 201 to the
     * traced part, 202 op_empty, 203 system call, 204 RPC, 205 RPC
     * alternating (2 calls), 206 RPC missing the cache (3 calls), 207
     * notify, 208 notify alternating (2 calls), 209 to the yielding
     * threads, 210-216 a switch each; the trace stops there. */
    bench_mark();
    irq_case();
    traced();
    yield_case(8u);

    clock_start();
    cmrx_printf("calibration: %lu.%03lu instructions per timer count\n",
                (unsigned long)(insn_per_count_q10 >> 10),
                (unsigned long)((insn_per_count_q10 & 1023u) * 1000u / 1024u));

    uint32_t sum;
    loop_total = insns(timed(op_empty, &sum));

    cmrx_printf("\n| %-58s | %6s |\n", "operation (" BENCH_BOARD ", " BENCH_CPU ")", "insns");
    cmrx_printf("|------------------------------------------------------------|--------|\n");

    report("trivial system call (cmrx_thread_self)", timed(op_syscall, &sum), N);
    report("RPC round trip to an empty method in another process", timed(op_rpc, &sum), N);
    report("RPC round trip, calls alternating between two objects", timed(op_rpc_alt, &sum),
           2u * N);
    report("RPC round trip, each call to another object than the last two",
           timed(op_rpc_miss, &sum), 3u * N);

    /* Less a run of N / 10 switches: the threads' start and end cancel. */
    uint32_t few = insns(yield_case(N / 10u));
    uint32_t many = insns(yield_case(N));
    uint32_t switches = N - N / 10u;
    cmrx_printf("| %-58s | %6lu |\n", "thread switch by yield, per switch",
                (unsigned long)((many - few + switches / 2u) / switches));

    report("notify waking a higher-priority thread in another process", timed(op_notify, &sum), N);
    if (sum != N) {
        cmrx_printf("BENCH ERROR: %lu wake-ups for %u notifies\n", (unsigned long)sum, N);
    }
    report("notify of a word nobody waits on, another than the last", timed(op_notify_alt, &sum),
           2u * N);
    if (sum != 0) { /* a wake-up, or an error (CMRX_EFAULT) */
        cmrx_printf("BENCH ERROR: alternating notifies returned %ld in all\n", (long)sum);
    }

    /* Whole instructions per count c (40 or 50) and p = 200 / c whole
     * counts of delays: sample j read at R + j, so the readings sum to
     * p R + c p (p - 1) / 2. */
    uint32_t c = (insn_per_count_q10 + 512u) >> 10;
    if (c == 0u || IRQ_SAMPLES % c != 0u) {
        cmrx_printf("BENCH ERROR: %lu instructions per count do not divide %u samples\n",
                    (unsigned long)c, IRQ_SAMPLES);
    } else {
        uint32_t p = IRQ_SAMPLES / c;
        cmrx_printf("| %-58s | %6lu |\n", "interrupt to the driver thread's read of the timer",
                    (unsigned long)((2u * irq_counts - c * p * (p - 1u) + p) / (2u * p)));
    }
    cmrx_printf("\n(an operation: what a call of it costs beyond a call of an empty function;\n"
                " notify: one round trip = notify, switch, wait, switch back)\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(main_thread, NULL);
