/* Atomic word operations for ports whose CPU has exclusive loads and
 * stores (ARMv7-M, ARMv8-M, hosts): the compiler's builtins do it. Used on
 * words shared between interrupt handlers and the kernel.
 *
 * Relaxed order: the words are shared with interrupt handlers of the same
 * core only. An exception clears the exclusive monitor, so an interrupted
 * update retries, and a core sees its own accesses in program order, so
 * the barriers of a stronger order (a DMB each side) would buy nothing.
 * The words are volatile: the compiler keeps the operations in order with
 * the other volatile accesses around them. */
#ifndef CMRX_ATOMIC_BUILTIN_H
#define CMRX_ATOMIC_BUILTIN_H

#include <stdbool.h>
#include <stdint.h>

/** *p |= v, atomically. @return the old value. */
static inline uint32_t port_atomic_or(volatile uint32_t *p, uint32_t v)
{
    return __atomic_fetch_or(p, v, __ATOMIC_RELAXED);
}

/** *p &= v, atomically. @return the old value. */
static inline uint32_t port_atomic_and(volatile uint32_t *p, uint32_t v)
{
    return __atomic_fetch_and(p, v, __ATOMIC_RELAXED);
}

/** *p = v, atomically. @return the old value. */
static inline uint32_t port_atomic_xchg(volatile uint32_t *p, uint32_t v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_RELAXED);
}

/** If *p == expect, *p = desired, atomically. @return whether it did. */
static inline bool port_atomic_cas(volatile uint32_t *p, uint32_t expect, uint32_t desired)
{
    return __atomic_compare_exchange_n(p, &expect, desired, false, __ATOMIC_RELAXED,
                                       __ATOMIC_RELAXED);
}

#endif
