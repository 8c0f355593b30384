/* Mutex contention between threads of one process: yields inside the
 * critical section would lose updates without the lock. */
#include "check.h"

#define THREADS 3
#define ROUNDS  150

static cmrx_mutex_t lock = CMRX_MUTEX_INIT;
static volatile uint32_t counter;
static volatile int inside;
static volatile int overlaps;

static int worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        CHECK_EQ(cmrx_mutex_lock(&lock), CMRX_OK);
        if (inside++) {
            overlaps++;
        }
        uint32_t v = counter;
        cmrx_thread_yield(); /* invite the others in */
        counter = v + 1;
        inside--;
        CHECK_EQ(cmrx_mutex_unlock(&lock), CMRX_OK);
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    /* Uncontended: lock, trylock fails, unlock, unlock again is an error. */
    CHECK_EQ(cmrx_mutex_lock(&lock), CMRX_OK);
    CHECK_EQ(cmrx_mutex_trylock(&lock), CMRX_EBUSY);
    CHECK_EQ(cmrx_mutex_unlock(&lock), CMRX_OK);
    CHECK_EQ(cmrx_mutex_unlock(&lock), CMRX_EINVAL);
    CHECK_EQ(cmrx_mutex_trylock(&lock), CMRX_OK);
    CHECK_EQ(cmrx_mutex_unlock(&lock), CMRX_OK);

    cmrx_tid_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        t[i] = cmrx_thread_create(worker, NULL, 12);
        CHECK(t[i] >= 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ(cmrx_thread_join(t[i], NULL), CMRX_OK);
    }
    cmrx_printf("counter %lu, overlaps %d\n", (unsigned long)counter, overlaps);
    CHECK_EQ(counter, THREADS * ROUNDS);
    CHECK_EQ(overlaps, 0);
    CHECK_EQ(lock.state, 0);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
