/* The timer hardware: the board's timer0, as its bsp.yaml names it. The
 * build gives this process the timer's registers and interrupt (cmrx.yaml,
 * `peripherals: [timer0]`) and the macros CMRX_PERIPH_TIMER0_*: where it
 * is, its interrupt line, its clock and which driver fits it. One hardware
 * layer per kind of timer; the one for the board's is compiled in. */
#ifndef TIMER_HW_H
#define TIMER_HW_H

#include <stdint.h>

#if !defined(CMRX_PERIPH_TIMER0_DRIVER_CMSDK_TIMER) && !defined(CMRX_PERIPH_TIMER0_DRIVER_STM32_TIM)
#error "the board's timer0 is driven by neither cmsdk-timer nor stm32-tim: add a hardware layer for it"
#endif

#define TIMER_BASE     CMRX_PERIPH_TIMER0_BASE
#define TIMER_IRQ      CMRX_PERIPH_TIMER0_IRQ
#define TIMER_CLOCK_HZ CMRX_PERIPH_TIMER0_CLOCK_HZ

/* Start the timer: an interrupt every @p period_us microseconds. */
void timer_hw_start(uint32_t period_us);

/* Tell the timer its interrupt was handled, before waiting for the next. */
void timer_hw_ack(void);

#endif
