/* The timer driver process of ${name}: owns the CMSDK timer 0 registers
 * (granted by 'mmio' in cmrx.yaml; any other process touching them faults)
 * and its interrupt (granted by 'irqs'). The kernel masks the interrupt and
 * wakes this thread; the thread clears the device and waits again. Other
 * processes read the count through the ticker service (RPC). */
#include "cmsdk_timer.h"
#include "ticker.h"

#define PERIOD_CYCLES 250000u /* 10 ms at 25 MHz */

static struct cmsdk_timer *const timer = (struct cmsdk_timer *)CMSDK_TIMER0_BASE;
static volatile unsigned periods; /* private to this process */

static int read_periods(struct ticker *self)
{
    (void)self;
    return (int)periods;
}

CMRX_VTABLE(struct ticker_vtable, ticker_vtable) = {read_periods};
CMRX_EXPORT struct ticker ticker_service = {&ticker_vtable};

static int timer_main(void *arg)
{
    (void)arg;
    timer->reload = PERIOD_CYCLES;
    timer->value = PERIOD_CYCLES;
    timer->ctrl = CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN;
    for (;;) {
        int rc = cmrx_irq_wait(CMSDK_TIMER0_IRQ, CMRX_FOREVER);
        if (rc != CMRX_OK) {
            cmrx_printf("timer: cannot wait for the interrupt (%d)\n", rc);
            return rc;
        }
        timer->intstatus = 1u; /* clear the device before the next wait */
        periods++;
    }
    return 0;
}

CMRX_THREAD(timer_main, NULL);
