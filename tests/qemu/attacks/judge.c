/* The judge (SYSTEM, above everyone else): watches the victim from outside
 * for ATTACK_TIME_MS, asking it every 10 ms whether its secrets are
 * intact, then checks its heartbeat never stalled and the attacker said it
 * was done, and ends the test. */
#include "attack.h"

#ifndef ATTACK_TIME_MS
#define ATTACK_TIME_MS 300u
#endif
#define MAX_GAP_US 10000 /* a heartbeat every 1 ms; 10 ms is a stall */

static volatile uint32_t finished;
static volatile uint32_t attempts;

static int done(struct judge *self, uint32_t n)
{
    (void)self;
    attempts = n;
    finished = 1;
    return 0;
}

CMRX_VTABLE(struct judge_vtable, judge_vt) = {done};
CMRX_EXPORT struct judge judge = {&judge_vt};

#define PROBE(what) cmrx_rpc_call(&victim, probe, (what))

static int watch(void *arg)
{
    (void)arg;
    cmrx_printf("judge: watching the victim for %u ms\n", (unsigned)ATTACK_TIME_MS);
    uint32_t start = cmrx_time_us();
    while (cmrx_time_us() - start < ATTACK_TIME_MS * 1000u) {
        cmrx_usleep(10000);
        int ok = PROBE(PROBE_SECRETS);
        if (ok != 1) {
            cmrx_printf("CHECK FAILED judge: the victim's secrets: %d\n", ok);
            cmrx_shutdown(1);
        }
    }
    int beats = PROBE(PROBE_BEATS);
    int gap = PROBE(PROBE_MAX_GAP);
    cmrx_printf("judge: victim heartbeat %d beats, longest gap %d us\n", beats, gap);
    if (beats < (int)ATTACK_TIME_MS / 2 || gap > MAX_GAP_US) {
        cmrx_printf("CHECK FAILED judge: the victim's heartbeat stalled\n");
        cmrx_shutdown(1);
    }
#if !defined(ATTACK_NO_DONE)
    if (!finished) {
        cmrx_printf("CHECK FAILED judge: the attacker did not finish\n");
        cmrx_shutdown(1);
    }
    cmrx_printf("judge: %u attacks made, all contained\n", (unsigned)attempts);
#endif
    cmrx_printf("PASS\n");
    cmrx_shutdown(0);
    return 0;
}
CMRX_THREAD(watch, NULL);
