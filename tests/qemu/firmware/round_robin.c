/* Equal priorities share the CPU: yield passes it on in FIFO order, and
 * the tick time-slices threads that never yield. */
#include "check.h"

#include <string.h>

static char log_buf[32];
static volatile int log_len;

static int yielder(void *arg)
{
    for (int i = 0; i < 4; i++) {
        log_buf[log_len++] = (char)(int)(long)arg;
        cmrx_thread_yield();
    }
    return 0;
}

static volatile int stop;
static volatile unsigned spins[2];

static int spinner(void *arg)
{
    int i = (int)(long)arg;
    while (!stop) {
        spins[i]++;
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    /* Three threads at priority 12, below us (9): none runs until we block. */
    cmrx_tid_t t[3];
    t[0] = cmrx_thread_create(yielder, (void *)'A', 12);
    t[1] = cmrx_thread_create(yielder, (void *)'B', 12);
    t[2] = cmrx_thread_create(yielder, (void *)'C', 12);
    CHECK_EQ(log_len, 0);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(cmrx_thread_join(t[i], NULL), CMRX_OK);
    }
    log_buf[log_len] = '\0';
    cmrx_printf("yield order: %s\n", log_buf);
    /* Each yield hands the CPU to the next in creation order. */
    CHECK(strcmp(log_buf, "ABCABCABCABC") == 0);

    /* Two spinners at priority 12 (below us): while we sleep, both must
     * get CPU time although neither ever yields. */
    cmrx_tid_t s0 = cmrx_thread_create(spinner, (void *)0, 12);
    cmrx_tid_t s1 = cmrx_thread_create(spinner, (void *)1, 12);
    cmrx_usleep(20000);
    unsigned a = spins[0], b = spins[1];
    stop = 1;
    CHECK_EQ(cmrx_thread_join(s0, NULL), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(s1, NULL), CMRX_OK);
    cmrx_printf("spins: %u %u\n", a, b);
    CHECK(a > 1000 && b > 1000);
    /* Fair within a factor of two over 20 slices. */
    CHECK(a < 2 * b && b < 2 * a);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
