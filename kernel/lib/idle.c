/* The idle thread: runs unprivileged at the lowest priority and sleeps the
 * CPU until the next interrupt. */
#include <cmrx/thread.h>

int cmrx_idle_thread(void *arg)
{
    (void)arg;
    for (;;) {
        __asm volatile("wfi");
    }
}
