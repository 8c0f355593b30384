/* Atomic operations for unprivileged code on ARMv6-M, which has neither
 * exclusive loads and stores nor a way for threads to mask interrupts.
 *
 * One restartable sequence does compare-and-swap: if the kernel switches
 * the thread out anywhere between cmrx_ras_begin and cmrx_ras_end (before
 * the store commits), the port's PendSV resumes it at cmrx_ras_begin, so
 * the load, the compare and the store always run without another thread
 * in between. Interrupt handlers never touch process memory. Everything
 * else is a compare-and-swap loop.
 *
 * The functions are the ones GCC calls for the __atomic builtins on
 * 4-byte objects when the CPU cannot do them inline (the libatomic ABI),
 * so C11 atomics and cmrx_mutex_* work unchanged, without a system call. */
#include <stdbool.h>
#include <stdint.h>

/** *p == expect ? (*p = desired) : nothing, atomically. @return the old *p. */
__attribute__((naked, noinline)) static unsigned int
ras_cas(volatile unsigned int *p, unsigned int expect, unsigned int desired)
{
    (void)p, (void)expect, (void)desired;
    /* r0 = p, r1 = expect, r2 = desired: unchanged by a restart. */
    __asm volatile(".global cmrx_ras_begin\n"
                   ".global cmrx_ras_end\n"
                   "cmrx_ras_begin:\n\t"
                   "ldr r3, [r0]\n\t"
                   "cmp r3, r1\n\t"
                   "bne 1f\n\t"
                   "str r2, [r0]\n"
                   "cmrx_ras_end:\n"
                   "1:\tmov r0, r3\n\t"
                   "bx lr");
}

bool __atomic_compare_exchange_4(volatile void *mem, void *expected, unsigned int desired,
                                 bool weak, int success, int failure)
{
    (void)weak, (void)success, (void)failure; /* one core: always sequentially consistent */
    unsigned int e = *(unsigned int *)expected;
    unsigned int old = ras_cas(mem, e, desired);
    if (old == e) {
        return true;
    }
    *(unsigned int *)expected = old;
    return false;
}

#define RMW(name, expr)                                                                            \
    unsigned int name(volatile void *mem, unsigned int v, int order)                               \
    {                                                                                              \
        (void)order;                                                                               \
        volatile unsigned int *p = mem;                                                            \
        unsigned int old;                                                                          \
        do {                                                                                       \
            old = *p;                                                                              \
        } while (ras_cas(p, old, (expr)) != old);                                                  \
        return old;                                                                                \
    }

RMW(__atomic_exchange_4, v)
RMW(__atomic_fetch_add_4, (old + v))
RMW(__atomic_fetch_sub_4, (old - v))
RMW(__atomic_fetch_and_4, (old & v))
RMW(__atomic_fetch_or_4, (old | v))
RMW(__atomic_fetch_xor_4, (old ^ v))
