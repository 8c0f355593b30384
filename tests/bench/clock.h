/* The benchmarks' clock: an MPS2 board's CMSDK TIMER1, free-running, read
 * by the process that owns both timers (MMIO TIMER0_BASE:0x2000, from the
 * build), and its rate in instructions calibrated with a loop of known
 * length. Under QEMU's -icount shift=0 one count is 40 instructions on
 * the 25 MHz boards: figures are good to about that. */
#ifndef CMRX_BENCH_CLOCK_H
#define CMRX_BENCH_CLOCK_H

#include <stdint.h>

#define TIMER1_BASE    (TIMER0_BASE + 0x1000u)
#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define CTRL           0x00u
#define VALUE          0x04u
#define RELOAD         0x08u
#define INTCLR         0x0Cu

/** The clock, counting up. */
static inline uint32_t now(void)
{
    return 0xFFFFFFFFu - REG(TIMER1_BASE, VALUE);
}

/* counts -> instructions, in 1/1024 units */
static uint32_t insn_per_count_q10;

/* Exactly 2 instructions per iteration (subs, bne). */
__attribute__((naked)) static void spin(uint32_t n)
{
    (void)n;
    __asm volatile("1: subs r0, r0, #1\n\tbne 1b\n\tbx lr");
}

/** Start TIMER1 and measure its rate in instructions. */
static inline void clock_start(void)
{
    REG(TIMER1_BASE, RELOAD) = 0xFFFFFFFFu;
    REG(TIMER1_BASE, VALUE) = 0xFFFFFFFFu;
    REG(TIMER1_BASE, CTRL) = 1u;
    uint32_t t0 = now();
    spin(1000000u);
    uint32_t dt = now() - t0;
    insn_per_count_q10 = (uint32_t)((2000000ull * 1024u + dt / 2u) / dt);
}

/** @return @p counts of the clock in instructions. */
static inline uint32_t insns(uint32_t counts)
{
    return (uint32_t)(((uint64_t)counts * insn_per_count_q10 + 512u) >> 10);
}

#endif
