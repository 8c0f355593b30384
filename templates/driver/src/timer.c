/* The timer driver process of ${name}: owns the CMSDK timer 0 registers
 * (granted by 'mmio' in cmrx.yaml; any other process touching them faults)
 * and counts its periods.
 *
 * TODO(irq): when IRQ delivery is in <cmrx/cmrx.h>, wait for interrupt 8
 * instead of polling, and acknowledge it after clearing the timer.
 * TODO(rpc): offer a service with a method ticks() returning `periods`, so
 * the app process can ask for it. */
#include <cmrx/cmrx.h>

#include "cmsdk_timer.h"

#define PERIOD_CYCLES 250000u /* 10 ms at 25 MHz */

static struct cmsdk_timer *const timer = (struct cmsdk_timer *)CMSDK_TIMER0_BASE;
static volatile unsigned periods; /* private to this process */

static int timer_main(void *arg)
{
    (void)arg;
    timer->reload = PERIOD_CYCLES;
    timer->value = PERIOD_CYCLES;
    timer->ctrl = CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN;
    for (;;) {
        /* Poll for now (see TODO(irq) above). */
        if (timer->intstatus & 1u) {
            timer->intstatus = 1u;
            periods++;
            if (periods % 10u == 0) {
                cmrx_printf("timer: %u periods\n", periods);
            }
        }
        cmrx_usleep(2000);
    }
    return 0;
}

CMRX_THREAD(timer_main, NULL);
