/* The idle thread: runs unprivileged at the lowest priority, does the
 * kernel's background work a bounded slice at a time (its queued messages,
 * a commit's verification) and sleeps the CPU until the next interrupt. */
#include <cmrx/thread.h>

int cmrx_idle_work(void); /* kernel/lib/syscalls.c */

int cmrx_idle_thread(void *arg)
{
    (void)arg;
    for (;;) {
        while (cmrx_idle_work() > 0) {
        }
        __asm volatile("wfi");
    }
}
