/* Attack: delay a higher-priority process's wake-ups from a low-priority
 * one through the tick's work cap.
 *
 * A tick wakes at most CMRX_TICK_WORK sleepers; the rest stay due, in the
 * order they fell due. A priority-20 process whose many threads sleep one
 * tick at a time keeps that queue longer than a tick can drain, and the
 * victim's (priority 10) wake-up waits behind them: its 1 ms heartbeat
 * stretches to (sleepers + 1) / 4 ticks. Priority must decide who waits. */
#include "attack.h"

#ifndef FLOOD_MS
#define FLOOD_MS 200u
#endif

static volatile uint32_t stop;
static int tids[ATTACK_SLEEPERS]; /* not on a 256-byte stack */

static int sleeper(void *arg)
{
    (void)arg;
    while (!stop) {
        cmrx_usleep(1000);
    }
    return 0;
}

static int attack(void *arg)
{
    (void)arg;
    unsigned made = 0;
    for (unsigned i = 0; i < ATTACK_SLEEPERS; i++) {
        tids[i] = cmrx_thread_create(sleeper, NULL, 20);
        if (tids[i] >= 0) {
            made++;
        }
    }
    cmrx_printf("attack_tickflood: %u sleepers of priority 20\n", made);
    uint32_t start = cmrx_time_us();
    uint32_t worst = 0, last = start;
    /* Measure our own wake-ups too: the attacker suffers its own flood. */
    while (cmrx_time_us() - start < FLOOD_MS * 1000u) {
        cmrx_usleep(1000);
        uint32_t now = cmrx_time_us();
        if (now - last > worst) {
            worst = now - last;
        }
        last = now;
    }
    stop = 1;
    for (unsigned i = 0; i < ATTACK_SLEEPERS; i++) {
        if (tids[i] >= 0) {
            cmrx_thread_join(tids[i], NULL);
        }
    }
    int gap = cmrx_rpc_call(&victim, probe, PROBE_MAX_GAP);
    cmrx_printf("attack_tickflood: the victim's longest gap %d us (ours %lu us)\n", gap,
                (unsigned long)worst);
    if (gap > 10000) {
        ATTACK_SUCCEEDED("a priority-20 flood of sleepers stalled the priority-10 victim %d us",
                         gap);
    }
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
