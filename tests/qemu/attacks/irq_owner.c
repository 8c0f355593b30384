/* A driver that owns an interrupt line whose device it never starts: every
 * wait for the line must time out. A wait that returns CMRX_OK was ended
 * by someone else, not by an interrupt. */
#include "attack.h"

static int driver(void *arg)
{
    (void)arg;
    for (;;) {
        int rc = cmrx_irq_wait(ATTACK_IRQ, 20000);
        if (rc != CMRX_ETIMEDOUT) {
            cmrx_printf("CHECK FAILED irq_owner: its wait for line %u returned %d, no interrupt\n",
                        (unsigned)ATTACK_IRQ, rc);
        }
    }
    return 0;
}
CMRX_THREAD(driver, NULL);
