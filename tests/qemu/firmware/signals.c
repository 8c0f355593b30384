/* Signals: a handler runs on the receiving thread, interrupts its sleep
 * with CMRX_EINTR and leaves its computation intact, and cannot write the
 * stack above it; signal_wait collects signals; bad targets and bad signal
 * sets are refused. */
#include "check.h"

static volatile uint32_t handled;
static volatile int handler_runs;
static volatile int stop;
static volatile cmrx_tid_t worker_tid;

static void handler(uint32_t signals)
{
    handled |= signals;
    handler_runs++;
}

static int worker(void *arg)
{
    (void)arg;
    CHECK_EQ(cmrx_signal_handler(handler), CMRX_OK);
    /* Interrupted sleep. */
    int r = cmrx_usleep(100000);
    CHECK_EQ(r, CMRX_EINTR);
    CHECK_EQ(handled, CMRX_SIGUSR1);
    /* A computation that must come out right despite handlers running in
     * the middle of it. */
    uint32_t a = 1, b = 0;
    for (uint32_t i = 0; i < 200000 && !stop; i++) {
        b += a;
        a = a * 3u + i;
    }
    uint32_t a2 = 1, b2 = 0;
    for (uint32_t i = 0; i < 200000; i++) {
        b2 += a2;
        a2 = a2 * 3u + i;
    }
    CHECK_EQ(a, a2);
    CHECK_EQ(b, b2);
    return handler_runs;
}

/* A handler must not reach the stack of the code it interrupted: the
 * kernel's signal frame, with the context the return restores, lies
 * there. Writing a local of the interrupted function faults. */
#ifndef CMRX_TEST_WITHOUT_MPU
static volatile uint32_t *volatile interrupted_local;
static volatile int forger_wrote;

static void forging_handler(uint32_t signals)
{
    (void)signals;
    *interrupted_local = 0xBADu;
    forger_wrote = 1;
}

static int forger(void *arg)
{
    (void)arg;
    volatile uint32_t mine = 7u;
    interrupted_local = &mine;
    CHECK_EQ(cmrx_signal_handler(forging_handler), CMRX_OK);
    cmrx_usleep(100000);
    return (int)mine;
}
#endif

static int collector(void *arg)
{
    (void)arg;
    return cmrx_signal_wait(CMRX_SIGUSR2, 50000);
}

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_tid_t w = cmrx_thread_create(worker, NULL, 12);
    worker_tid = w;
    cmrx_usleep(2000); /* worker is asleep */
    CHECK_EQ(cmrx_signal_send(w, CMRX_SIGUSR1), CMRX_OK);
    cmrx_usleep(1000); /* worker computes now */
    CHECK_EQ(cmrx_signal_send(w, CMRX_SIGUSR2), CMRX_OK);
    cmrx_usleep(1000);
    CHECK_EQ(cmrx_signal_send(w, 1u << 5), CMRX_OK);
    int runs = 0;
    CHECK_EQ(cmrx_thread_join(w, &runs), CMRX_OK);
    CHECK_EQ(runs, 3);
    CHECK_EQ(handled, CMRX_SIGUSR1 | CMRX_SIGUSR2 | (1u << 5));

    /* signal_wait takes the signal instead of a handler. */
    cmrx_tid_t c = cmrx_thread_create(collector, NULL, 12);
    cmrx_usleep(1000);
    CHECK_EQ(cmrx_signal_send(c, CMRX_SIGUSR2), CMRX_OK);
    int got = 0;
    CHECK_EQ(cmrx_thread_join(c, &got), CMRX_OK);
    CHECK_EQ(got, (int)CMRX_SIGUSR2);
    /* Already pending: taken at once. */
    CHECK_EQ(cmrx_signal_send(cmrx_thread_self(), CMRX_SIGUSR1), CMRX_OK);
    CHECK_EQ(cmrx_signal_wait(CMRX_SIGUSR1 | CMRX_SIGUSR2, 0), (int)CMRX_SIGUSR1);

#ifndef CMRX_TEST_WITHOUT_MPU
    /* The handler that writes into the interrupted code's stack is
     * killed by the MPU; the sender carries on. */
    cmrx_tid_t f = cmrx_thread_create(forger, NULL, 12);
    cmrx_usleep(2000);
    CHECK_EQ(cmrx_signal_send(f, CMRX_SIGUSR1), CMRX_OK);
    int fcode = 0;
    CHECK_EQ(cmrx_thread_join(f, &fcode), CMRX_OK);
    CHECK_EQ(fcode, CMRX_EKILLED);
    CHECK_EQ(forger_wrote, 0);
#endif

    /* Refused. */
    CHECK_EQ(cmrx_signal_send(cmrx_thread_self(), 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_signal_send(cmrx_thread_self(), 1u << 31), CMRX_EINVAL);
    CHECK_EQ(cmrx_signal_send(0x7777, CMRX_SIGUSR1), CMRX_ESRCH);
    CHECK_EQ(cmrx_signal_wait(0, 10), CMRX_EINVAL);
    CHECK_EQ(cmrx_signal_handler((cmrx_signal_handler_t)(uintptr_t)0x20000001u), CMRX_EINVAL);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
