/* The timer driver process of ${name}: owns the timer's registers and its
 * interrupt (granted by 'peripherals: [timer0]' in cmrx.yaml; any other
 * process touching the registers faults). The kernel masks the interrupt and wakes
 * this thread; the thread acknowledges it in the device and waits again.
 * Other processes read the count through the ticker service (RPC). What
 * differs between timers is in timer_hw.h and one hardware layer per kind
 * of timer (src/cmsdk_timer.c, src/stm32_timer.c). */
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
    cmrx_printf("timer: timer0 (%s) at 0x%08lx, irq %u\n", CMRX_PERIPH_TIMER0_DRIVER,
                (unsigned long)TIMER_BASE, (unsigned)TIMER_IRQ);
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
