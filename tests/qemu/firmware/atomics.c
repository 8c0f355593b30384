/* Atomic read-modify-writes stay atomic when the tick preempts a thread in
 * the middle of one: three threads of equal priority, rotated by the tick,
 * add to shared counters with __atomic_fetch_add and a compare-and-swap
 * loop, and no update is lost. (ARMv7-M and ARMv8-M do them with
 * LDREX/STREX, ARMv6-M with the port's restartable sequence.) */
#include "check.h"

#include <stdbool.h>

#define THREADS 3
#define ADDS    400000u

static volatile uint32_t added;
static volatile uint32_t swapped;
static volatile cmrx_tid_t last;
static volatile uint32_t switches;

static int worker(void *arg)
{
    (void)arg;
    cmrx_tid_t me = cmrx_thread_self();
    for (uint32_t i = 0; i < ADDS; i++) {
        __atomic_fetch_add(&added, 1u, __ATOMIC_SEQ_CST);
        uint32_t old = swapped;
        while (!__atomic_compare_exchange_n(&swapped, &old, old + 2u, false, __ATOMIC_SEQ_CST,
                                            __ATOMIC_SEQ_CST)) {
        }
        if (last != me) { /* the threads really took turns mid-loop */
            last = me;
            switches++;
        }
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_tid_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        t[i] = cmrx_thread_create(worker, NULL, 12);
        CHECK(t[i] >= 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ(cmrx_thread_join(t[i], NULL), CMRX_OK);
    }
    cmrx_printf("atomics: %lu adds, %lu swaps, %lu switches\n", (unsigned long)added,
                (unsigned long)swapped / 2u, (unsigned long)switches);
    CHECK_EQ(added, THREADS * ADDS);
    CHECK_EQ(swapped, 2u * THREADS * ADDS);
    CHECK(switches > 30u);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
