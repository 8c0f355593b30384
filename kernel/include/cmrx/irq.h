/* Interrupts for driver processes.
 *
 * A process declares the interrupt lines it owns (IRQS in its declaration).
 * The kernel's handler masks the line and wakes the driver thread waiting
 * for it; the driver serves its device from thread context, with its MMIO
 * mapped, then waits again (which unmasks the line). Only the owner may
 * enable, disable or wait for a line.
 */
#ifndef CMRX_IRQ_H
#define CMRX_IRQ_H

#include <stdint.h>

/** Unmask interrupt @p irq. @return CMRX_OK, CMRX_EINVAL (no such line), CMRX_EPERM (not ours). */
int cmrx_irq_enable(unsigned irq);

/** Mask interrupt @p irq. @return as cmrx_irq_enable(). */
int cmrx_irq_disable(unsigned irq);

/**
 * Unmask @p irq and sleep until it fires (returns at once if it fired since
 * the last wait). The line stays masked when this returns, until the next
 * wait or enable, so the driver can clear its device first.
 * @return CMRX_OK, CMRX_ETIMEDOUT, CMRX_EINTR, CMRX_EINVAL, CMRX_EPERM.
 */
int cmrx_irq_wait(unsigned irq, uint32_t timeout_us);

#endif
