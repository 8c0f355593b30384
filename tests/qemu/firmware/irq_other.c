/* Not the owner of TIMER0: its line and registers are out of reach. */
#include <cmrx/cmrx.h>

static int intruder(void *arg)
{
    (void)arg;
    if (cmrx_irq_enable(TIMER0_IRQ) == CMRX_EPERM && cmrx_irq_wait(TIMER0_IRQ, 100) == CMRX_EPERM) {
        cmrx_printf("irq_other: refused\n");
    }
    return 0;
}

CMRX_THREAD(intruder, NULL);
