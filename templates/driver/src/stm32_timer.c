/* The timer hardware layer for a general-purpose timer of the STM32F4
 * (TIM2..TIM5). Registers from the STM32F405 reference manual (RM0090),
 * general-purpose timers TIM2 to TIM5. The prescaler divides
 * TIMER_CLOCK_HZ down to 1 MHz; the counter counts up from 0 and, past the
 * auto-reload value, starts again at 0 with an update event: the update
 * interrupt flag (UIF) and the interrupt.
 *
 * On a real chip the timer's bus clock must be on (RCC_APB1ENR); the
 * clock controller is shared by every device, so the board does it, not
 * this process: bsp_board_init() of qemu-netduinoplus2 turns TIM2 on.
 * QEMU's model needs no clock and counts faster than 1 MHz, so the period
 * there is shorter. */
#include "timer_hw.h"

#if defined(CMRX_PERIPH_TIMER0_DRIVER_STM32_TIM) /* the board's timer0 is this kind */

struct stm32_timer {
    volatile uint32_t cr1;   /* 0x00: control 1 */
    volatile uint32_t cr2;   /* 0x04 */
    volatile uint32_t smcr;  /* 0x08 */
    volatile uint32_t dier;  /* 0x0C: DMA/interrupt enable */
    volatile uint32_t sr;    /* 0x10: status; a flag is cleared by writing 0 to it */
    volatile uint32_t egr;   /* 0x14: event generation */
    volatile uint32_t ccmr1; /* 0x18 */
    volatile uint32_t ccmr2; /* 0x1C */
    volatile uint32_t ccer;  /* 0x20 */
    volatile uint32_t cnt;   /* 0x24: counter */
    volatile uint32_t psc;   /* 0x28: prescaler: the counter's clock is the input / (PSC + 1) */
    volatile uint32_t arr;   /* 0x2C: auto-reload: the counter counts 0..ARR */
};

#define CR1_CEN  (1u << 0) /* counter enable */
#define DIER_UIE (1u << 0) /* update interrupt enable */
#define SR_UIF   (1u << 0) /* update interrupt flag */
#define EGR_UG   (1u << 0) /* update generation: reload the prescaler and the counter */

static struct stm32_timer *const timer = (struct stm32_timer *)TIMER_BASE;

void timer_hw_start(uint32_t period_us)
{
    timer->psc = TIMER_CLOCK_HZ / 1000000u - 1u; /* 1 MHz */
    timer->arr = period_us - 1u;
    timer->egr = EGR_UG; /* the prescaler takes effect at an update event */
    timer->sr = ~SR_UIF; /* that event set UIF too */
    timer->dier = DIER_UIE;
    timer->cr1 = CR1_CEN;
}

void timer_hw_ack(void)
{
    timer->sr = ~SR_UIF; /* writing 1 to the other flags leaves them as they are */
}

#endif
