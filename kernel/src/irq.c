/* Interrupt delivery to driver processes.
 *
 * The kernel's handler of an owned line masks it, marks it fired and defers
 * the rest to PendSV, which wakes the owner's thread waiting on the line.
 * The driver serves its device in thread context and waits again, which
 * unmasks the line: a device cannot interrupt again before its driver ran.
 */
#include "kernel.h"

#include <cmrx/wait.h>

#define IRQ_WORDS ((CMRX_PORT_IRQ_COUNT + 31u) / 32u)

static volatile uint32_t irq_fired[IRQ_WORDS];

/* What a thread waiting for line irq waits on: an address no process can
 * wait on itself (access_ok refuses it). */
static const void *irq_key(unsigned irq)
{
    return (const void *)(uintptr_t)(0xF0000000u + 4u * irq);
}

/* Clear line irq's fired mark. */
static void irq_take(unsigned irq)
{
    port_atomic_and(&irq_fired[irq / 32u], ~(1u << (irq % 32u)));
}

static const struct cmrx_process *irq_owner(unsigned irq)
{
    if (irq >= cmrx_irq_lines || cmrx_irq_owner[irq] == 0) {
        return NULL;
    }
    const struct cmrx_process *p = &cmrx_processes[cmrx_irq_owner[irq] - 1u];
    return p->state->dead ? NULL : p;
}

void irq_init(void)
{
    for (unsigned i = 0; i < IRQ_WORDS; i++) {
        irq_fired[i] = 0;
    }
}

/* Called by the port's interrupt entry, at interrupt priority. */
void cmrx_irq_isr(unsigned irq)
{
    port_irq_disable(irq);
    uint32_t bit = 1u << (irq % 32u);
    port_atomic_or(&irq_fired[irq / 32u], bit);
    kernel_defer(CMRX_DEFERRED_IRQ);
}

void irq_deferred(void)
{
    for (unsigned w = 0; w < IRQ_WORDS; w++) {
        /* A word without a fired line is passed by a plain read, not an
         * exchange (a board with 124 lines has 4 words, most of them
         * empty): a line that fires after the read posts this work again,
         * as cmrx_kernel_deferred() clears its flag before calling here.
         * With one word there is nothing to pass. */
        if (IRQ_WORDS > 1u && irq_fired[w] == 0) {
            continue;
        }
        /* All of the word's fired lines at once; a line nobody waits for
         * yet goes back, to be taken when its owner waits. */
        uint32_t fired = port_atomic_xchg(&irq_fired[w], 0);
        uint32_t keep = 0;
        while (fired != 0) {
            unsigned irq = w * 32u + (unsigned)__builtin_ctz(fired);
            uint32_t bit = fired & -fired;
            fired &= fired - 1u;
            TRACE(CMRX_TR_IRQ, cmrx_sched.current, 0, 0, irq);
            /* Only the owner's threads wait on the line, and none of a dead
             * owner's, so a waiter needs no look-up of the owner. */
            if (wait_notify(irq_key(irq), 1, CMRX_OK) > 0) {
                continue;
            }
            if (irq_owner(irq) == NULL) {
                /* Nobody serves it: it stays masked for good (only an
                 * owner could unmask it), so this is said once. */
                kprintf("IRQ %u has no owner: masked\n", irq);
                continue;
            }
            keep |= bit; /* fired until the owner waits for it */
        }
        if (keep != 0) {
            port_atomic_or(&irq_fired[w], keep);
        }
    }
}

void irq_release_process(const struct cmrx_process *p)
{
    for (unsigned k = 0; k < p->n_irqs; k++) {
        unsigned irq = p->irqs[k];
        port_irq_disable(irq);
        irq_take(irq);
    }
}

static int check_owner(uint32_t irq)
{
    if (irq >= CMRX_PORT_IRQ_COUNT) {
        return CMRX_EINVAL;
    }
    if (irq_owner(irq) != thread_active(cmrx_sched.current)) {
        return CMRX_EPERM;
    }
    return CMRX_OK;
}

int32_t sys_irq_enable(uint32_t irq)
{
    int rc = check_owner(irq);
    if (rc == CMRX_OK) {
        port_irq_enable(irq);
    }
    return rc;
}

int32_t sys_irq_disable(uint32_t irq)
{
    int rc = check_owner(irq);
    if (rc == CMRX_OK) {
        port_irq_disable(irq);
    }
    return rc;
}

int32_t sys_irq_wait(uint32_t irq, uint32_t timeout_us)
{
    int rc = check_owner(irq);
    if (rc != CMRX_OK) {
        return rc;
    }
    if (irq_fired[irq / 32u] & (1u << (irq % 32u))) {
        irq_take(irq);
        return CMRX_OK;
    }
    rc = thread_wait(cmrx_sched.current, CMRX_T_WAITING, irq_key(irq), timeout_us);
    if (rc == CMRX_OK) {
        port_irq_enable(irq); /* it is waited for */
    }
    return rc;
}
