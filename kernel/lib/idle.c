/* The idle thread: runs unprivileged at the lowest priority, puts out the
 * kernel's queued messages a chunk at a time, and sleeps the CPU until the
 * next interrupt. */
#include <cmrx/console.h>
#include <cmrx/thread.h>

int cmrx_idle_thread(void *arg)
{
    (void)arg;
    for (;;) {
        while (cmrx_console_write_some(NULL, 0) > 0) {
        }
        __asm volatile("wfi");
    }
}
