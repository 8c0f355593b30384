/* The idle thread: runs unprivileged at the lowest priority, does the
 * kernel's background work a bounded slice at a time (its queued messages,
 * a commit's verification) and sleeps the CPU until the next interrupt. */
#include <cmrx/thread.h>

int cmrx_idle_work(void); /* kernel/lib/syscalls.c */
void cmrx_sim_wfi(void);  /* kernel/arch/sim/user/gate.c */

int cmrx_idle_thread(void *arg)
{
    (void)arg;
    for (;;) {
        while (cmrx_idle_work() > 0) {
        }
#if defined(__x86_64__)
        cmrx_sim_wfi(); /* the host simulation: until the tick's signal */
#else
        __asm volatile("wfi");
#endif
    }
}
