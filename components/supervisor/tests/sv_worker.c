/* supervisor test, the watched processes, one source built four ways:
 *   SV_HANG    beats three times, then hangs (alive, no more beats)
 *   SV_CRASH   faults as soon as it is watched (kill-process policy)
 *   SV_FLAKY   faults once, on its first start (restart policy)
 *   SV_STEADY  beats for good */
#include "check.h"
#include "supervisor.h"

static volatile uint32_t *const null_word = (volatile uint32_t *)0;

/* Not every variant faults. */
__attribute__((unused)) static void fault(void)
{
    *null_word = 1; /* the first KiB of flash is privileged: a MemManage fault */
}

static int worker(void *arg)
{
    (void)arg;
    int start = cmrx_process_restarts((unsigned)cmrx_process_self());
    cmrx_printf("%s: start %d\n", SV_NAME, start);
#if defined(SV_HANG)
    CHECK_EQ(supervisor_watch(20000, 2, 5000), CMRX_OK);
    for (int i = 0; i < 3; i++) {
        cmrx_usleep(5000);
        CHECK_EQ(supervisor_beat(), CMRX_OK);
    }
    for (;;) {
        cmrx_usleep(100000); /* hung: alive, silent */
    }
#elif defined(SV_CRASH)
    CHECK_EQ(supervisor_watch(50000, 3, 2000), CMRX_OK);
    fault();
#else
#if defined(SV_FLAKY)
    CHECK_EQ(supervisor_watch(20000, 3, 1000), CMRX_OK);
    if (start == 0) {
        fault();
    }
#else
    CHECK_EQ(supervisor_watch(20000, 3, 1000), CMRX_OK);
#endif
    for (;;) {
        cmrx_usleep(5000);
        /* While the supervisor restarts (its memory is initialised a chunk
         * per tick), its service answers CMRX_ERPC_DEAD. */
        int rc = supervisor_beat();
        CHECK(rc == CMRX_OK || rc == CMRX_ERPC_DEAD);
    }
#endif
    return 0;
}

CMRX_THREAD(worker, NULL);
