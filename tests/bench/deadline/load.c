/* The deadline benchmark's load: LOAD_N threads of one priority, each
 * sleeping i + 1 ticks in a loop, or (LOAD_TIMERS) each with a periodic
 * timer of one tick, for LOAD_MS; then the firmware shuts down. */
#include <cmrx/cmrx.h>

#define LOAD_MS 300u

static int worker(void *arg)
{
    uint32_t ticks = (uint32_t)(uintptr_t)arg;
#ifdef LOAD_TIMERS
    (void)ticks;
    cmrx_setitimer(CMRX_TICK_US);
    for (;;) {
        cmrx_signal_wait(CMRX_SIGALRM, CMRX_FOREVER);
    }
#else
    for (;;) {
        cmrx_usleep(ticks * CMRX_TICK_US);
    }
#endif
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    for (uintptr_t i = 0; i < LOAD_N; i++) {
        if (cmrx_thread_create(worker, (void *)(i + 1u), 20) < 0) {
            cmrx_printf("BENCH ERROR: no thread %u\n", (unsigned)i);
        }
    }
    cmrx_usleep(LOAD_MS * 1000u);
    cmrx_printf("deadline load: done\n");
    cmrx_shutdown(0);
    return 0;
}
CMRX_THREAD(main_thread, NULL);
