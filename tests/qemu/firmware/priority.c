/* Priority-preemptive scheduling: a higher priority thread runs as soon as
 * it is ready (created, raised, woken), a lower one only when we block. */
#include "check.h"

#include <string.h>

static char log_buf[32];
static volatile int log_len;

static void note(char c)
{
    log_buf[log_len++] = c;
    log_buf[log_len] = '\0';
}

static int mark(void *arg)
{
    note((char)(int)(long)arg);
    return 0;
}

static volatile int woke;

static int sleeper(void *arg)
{
    (void)arg;
    cmrx_usleep(2000);
    woke = 1;
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    /* Lower priority: created, but not run while we run. */
    cmrx_tid_t lo = cmrx_thread_create(mark, (void *)'L', 20);
    CHECK_EQ(log_len, 0);
    /* Higher priority: runs before create returns. */
    cmrx_tid_t hi = cmrx_thread_create(mark, (void *)'H', 5);
    CHECK_EQ(log_len, 1);
    note('M');
    CHECK_EQ(cmrx_thread_join(hi, NULL), CMRX_OK);
    /* Blocking on the low thread lets it run. */
    CHECK_EQ(cmrx_thread_join(lo, NULL), CMRX_OK);
    CHECK(strcmp(log_buf, "HML") == 0);

    /* Raising a ready thread above us preempts at once. */
    cmrx_tid_t r = cmrx_thread_create(mark, (void *)'R', 25);
    note('1');
    CHECK_EQ(cmrx_thread_set_priority(r, 3), CMRX_OK);
    note('2');
    CHECK(strcmp(log_buf, "HML1R2") == 0);
    CHECK_EQ(cmrx_thread_join(r, NULL), CMRX_OK);

    /* Lowering ourselves below a ready thread gives way to it. */
    cmrx_tid_t w = cmrx_thread_create(mark, (void *)'W', 15);
    CHECK_EQ(cmrx_thread_set_priority(cmrx_thread_self(), 18), CMRX_OK);
    note('3');
    CHECK(strcmp(log_buf, "HML1R2W3") == 0);
    CHECK_EQ(cmrx_thread_join(w, NULL), CMRX_OK);
    CHECK_EQ(cmrx_thread_get_priority(cmrx_thread_self()), 18);
    CHECK_EQ(cmrx_thread_set_priority(cmrx_thread_self(), 10), CMRX_OK);

    /* A higher priority thread waking from sleep preempts a busy loop. */
    cmrx_tid_t s = cmrx_thread_create(sleeper, NULL, 4);
    uint32_t start = cmrx_time_us();
    while (!woke) {
        CHECK(cmrx_time_us() - start < 100000u);
    }
    CHECK_EQ(cmrx_thread_join(s, NULL), CMRX_OK);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
