/* Thread create / exit / join, exit codes, zombies, slot limits, stale ids. */
#include "check.h"

#include <stdint.h>

static int doubler(void *arg)
{
    return (int)(intptr_t)arg * 2;
}

static int explicit_exit(void *arg)
{
    (void)arg;
    cmrx_thread_exit(77);
}

static volatile int blocker_go;

static int blocker(void *arg)
{
    (void)arg;
    while (!blocker_go) {
        cmrx_usleep(1000);
    }
    return 5;
}

static int main_thread(void *arg)
{
    (void)arg;
    int code = -1;
    cmrx_tid_t self = cmrx_thread_self();
    CHECK(self >= 0);

    /* Return value of the entry is the exit code. */
    cmrx_tid_t t = cmrx_thread_create(doubler, (void *)21, 5);
    CHECK(t >= 0);
    CHECK(t != self);
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, 42);

    /* Explicit exit. */
    t = cmrx_thread_create(explicit_exit, NULL, 5);
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, 77);

    /* A lower-priority thread finishes while we sleep: joining reaps it. */
    t = cmrx_thread_create(doubler, (void *)5, 20);
    CHECK(t >= 0);
    cmrx_usleep(3000);
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, 10);
    /* Reaped: its id is gone, even once the slot is used again. */
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_ESRCH);
    cmrx_tid_t again = cmrx_thread_create(doubler, (void *)1, 5);
    CHECK(again >= 0 && again != t);
    CHECK_EQ(cmrx_thread_join(again, NULL), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(t, NULL), CMRX_ESRCH);

    /* Four slots: main and three more; the fifth create fails. */
    cmrx_tid_t b[3];
    for (int i = 0; i < 3; i++) {
        b[i] = cmrx_thread_create(blocker, NULL, 15);
        CHECK(b[i] >= 0);
    }
    CHECK_EQ(cmrx_thread_create(blocker, NULL, 15), CMRX_EAGAIN);
    blocker_go = 1;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(cmrx_thread_join(b[i], &code), CMRX_OK);
        CHECK_EQ(code, 5);
    }
    /* Slots are free again. */
    t = cmrx_thread_create(doubler, (void *)3, 5);
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, 6);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
