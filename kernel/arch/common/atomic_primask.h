/* Atomic word operations for ports whose CPU has no exclusive loads and
 * stores (ARMv6-M): the read-modify-write runs with interrupts masked
 * (PRIMASK), which only privileged code may do. Used by the kernel on
 * words shared between interrupt handlers and the kernel; unprivileged
 * code gets its atomics from the port's restartable sequence instead. */
#ifndef CMRX_ATOMIC_PRIMASK_H
#define CMRX_ATOMIC_PRIMASK_H

#include <stdbool.h>
#include <stdint.h>

/** Mask interrupts. @return the previous PRIMASK, for irq_restore(). */
static inline uint32_t irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" : : "r"(primask) : "memory");
}

/* Read-modify-write of *p to `expr` (of old and v) with interrupts
 * masked. @return the old value. */
#define CMRX_PRIMASK_RMW(name, expr)                                                               \
    static inline uint32_t name(volatile uint32_t *p, uint32_t v)                                  \
    {                                                                                              \
        uint32_t m = irq_save();                                                                   \
        uint32_t old = *p;                                                                         \
        *p = (expr);                                                                               \
        irq_restore(m);                                                                            \
        return old;                                                                                \
    }

CMRX_PRIMASK_RMW(port_atomic_or, (old | v))  /* *p |= v */
CMRX_PRIMASK_RMW(port_atomic_and, (old & v)) /* *p &= v */
CMRX_PRIMASK_RMW(port_atomic_xchg, v)        /* *p = v */

/** If *p == expect, *p = desired, atomically. @return whether it did. */
static inline bool port_atomic_cas(volatile uint32_t *p, uint32_t expect, uint32_t desired)
{
    uint32_t m = irq_save();
    bool ok = *p == expect;
    if (ok) {
        *p = desired;
    }
    irq_restore(m);
    return ok;
}

#endif
