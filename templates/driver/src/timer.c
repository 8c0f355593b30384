/* The timer driver process of ${name}: owns the timer's registers (granted
 * by 'mmio' in cmrx.yaml; any other process touching them faults) and its
 * interrupt (granted by 'irqs'). The kernel masks the interrupt and wakes
 * this thread; the thread acknowledges it in the device and waits again.
 * Other processes read the count through the ticker service (RPC). What
 * differs between timers is in timer_hw.h and src/${timer}_timer.c. */
#include "ticker.h"
#include "timer_hw.h"

#define PERIOD_US 10000u /* 10 ms */

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
    timer_hw_start(PERIOD_US);
    for (;;) {
        int rc = cmrx_irq_wait(TIMER_IRQ, CMRX_FOREVER);
        if (rc != CMRX_OK) {
            cmrx_printf("timer: cannot wait for the interrupt (%d)\n", rc);
            return rc;
        }
        timer_hw_ack(); /* before the next wait, or the interrupt fires again at once */
        periods++;
    }
    return 0;
}

CMRX_THREAD(timer_main, NULL);
