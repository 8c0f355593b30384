/* Atomic word operations for ports whose CPU has exclusive loads and
 * stores (ARMv7-M, ARMv8-M, hosts): the compiler's builtins do it. Used on
 * words shared between interrupt handlers and the kernel. */
#ifndef CMRX_ATOMIC_BUILTIN_H
#define CMRX_ATOMIC_BUILTIN_H

#include <stdbool.h>
#include <stdint.h>

/** *p |= v, atomically. @return the old value. */
static inline uint32_t port_atomic_or(volatile uint32_t *p, uint32_t v)
{
    return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

/** *p &= v, atomically. @return the old value. */
static inline uint32_t port_atomic_and(volatile uint32_t *p, uint32_t v)
{
    return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}

/** *p = v, atomically. @return the old value. */
static inline uint32_t port_atomic_xchg(volatile uint32_t *p, uint32_t v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/** If *p == expect, *p = desired, atomically. @return whether it did. */
static inline bool port_atomic_cas(volatile uint32_t *p, uint32_t expect, uint32_t desired)
{
    return __atomic_compare_exchange_n(p, &expect, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

#endif
