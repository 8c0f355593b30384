/* Attack: take or fake another process's interrupt line.
 *
 * The kernel keys a thread waiting for line n on a made-up address,
 * 0xF0000000 + 4 n (irq.c; the kernel's sources are no secret), and wakes
 * it with the same step that wakes a thread waiting on a word. irq_owner
 * waits for its line, which never fires. We ring the line's key, as a
 * notify may ring any process's word (a fake interrupt for the driver),
 * wait on the key ourselves (ahead of the driver: we would take its
 * interrupts) and ask for the line outright. */
#include "attack.h"

#define KEY ((volatile uint32_t *)(uintptr_t)(0xF0000000u + 4u * ATTACK_IRQ))

static int attack(void *arg)
{
    (void)arg;
    cmrx_usleep(2000); /* the driver (above us) waits by now */
    int notify = cmrx_notify(KEY, 1);
    int wait = cmrx_wait(KEY, 0, 1000);
    int enable = cmrx_irq_enable(ATTACK_IRQ);
    int take = cmrx_irq_wait(ATTACK_IRQ, 1000);
    int disable = cmrx_irq_disable(ATTACK_IRQ);
    cmrx_printf("attack_irqkey: notify on line %u's key %d, wait on it %d; enable %d, wait %d, "
                "disable %d\n",
                (unsigned)ATTACK_IRQ, notify, wait, enable, take, disable);
    if (notify >= 0 || wait != CMRX_EFAULT || enable >= 0 || take >= 0 || disable >= 0) {
        ATTACK_SUCCEEDED("the kernel let us ring, wait on or use another's interrupt line");
    }
    attack_done(5);
    return 0;
}
CMRX_THREAD(attack, NULL);
