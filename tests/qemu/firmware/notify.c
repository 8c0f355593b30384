/* Notify/wait: value check, timeouts, wake order by priority, counts,
 * and pointers the caller may not use. */
#include "check.h"

/* Kernel RAM, from the linker script (processes cannot link kernel symbols). */
extern uint8_t __cmrx_kbss_start[];

static volatile uint32_t word;
static char order[8];
static volatile int n_order;

static int waiter(void *arg)
{
    int r = cmrx_wait(&word, 0, CMRX_FOREVER);
    order[n_order++] = (char)(int)(long)arg;
    return r;
}

static int main_thread(void *arg)
{
    (void)arg;
    /* The value already changed: no sleep. */
    CHECK_EQ(cmrx_wait(&word, 1, CMRX_FOREVER), CMRX_EAGAIN);
    /* Nobody notifies: timeouts, within a tick. */
    CHECK_EQ(cmrx_wait(&word, 0, 0), CMRX_ETIMEDOUT);
    uint32_t t0 = cmrx_time_us();
    CHECK_EQ(cmrx_wait(&word, 0, 3000), CMRX_ETIMEDOUT);
    uint32_t dt = cmrx_time_us() - t0;
    CHECK(dt >= 3000 && dt <= 4100);
    CHECK_EQ(cmrx_notify(&word, 5), 0); /* nobody waits */

    /* Waiters at priorities 14, 11, 13 (below us, 10): the highest goes first. */
    cmrx_tid_t a = cmrx_thread_create(waiter, (void *)'a', 14);
    cmrx_tid_t b = cmrx_thread_create(waiter, (void *)'b', 11);
    cmrx_tid_t c = cmrx_thread_create(waiter, (void *)'c', 13);
    cmrx_usleep(2000); /* all three are waiting now */
    CHECK_EQ(n_order, 0);
    CHECK_EQ(cmrx_notify(&word, 1), 1);
    cmrx_usleep(1000);
    CHECK_EQ(n_order, 1);
    CHECK_EQ(cmrx_notify(&word, 5), 2);
    int code = -1;
    CHECK_EQ(cmrx_thread_join(a, &code), CMRX_OK);
    CHECK_EQ(code, CMRX_OK);
    CHECK_EQ(cmrx_thread_join(b, NULL), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(c, NULL), CMRX_OK);
    order[n_order] = '\0';
    cmrx_printf("wake order: %s\n", order);
    CHECK(order[0] == 'b' && order[1] == 'c' && order[2] == 'a');

    /* Bad words: kernel memory, misaligned, NULL. */
    CHECK_EQ(cmrx_wait((const volatile uint32_t *)(void *)__cmrx_kbss_start, 0, 10), CMRX_EFAULT);
    CHECK_EQ(cmrx_notify((const volatile uint32_t *)(void *)__cmrx_kbss_start, 1), CMRX_EFAULT);
    CHECK_EQ(cmrx_wait((const volatile uint32_t *)((uintptr_t)&word + 1), 0, 10), CMRX_EFAULT);
    CHECK_EQ(cmrx_wait(NULL, 0, 10), CMRX_EFAULT);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
