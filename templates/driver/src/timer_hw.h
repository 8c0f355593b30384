/* The timer hardware of ${board}, as the driver template's template.yaml
 * gives it for that board. cmrx.yaml grants the same registers (mmio) and
 * interrupt (irqs) to the timer process, and compiles the hardware layer
 * that drives them: src/${timer}_timer.c. */
#ifndef TIMER_HW_H
#define TIMER_HW_H

#include <stdint.h>

#define TIMER_BASE     ${timer_base}u
#define TIMER_IRQ      ${timer_irq}u
#define TIMER_CLOCK_HZ ${timer_clock_hz}u

/* Start the timer: an interrupt every @p period_us microseconds. */
void timer_hw_start(uint32_t period_us);

/* Tell the timer its interrupt was handled, before waiting for the next. */
void timer_hw_ack(void);

#endif
