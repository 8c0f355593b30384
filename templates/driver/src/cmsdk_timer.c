/* The timer hardware layer for the Arm CMSDK APB timer of the MPS2 boards.
 * Registers from the Cortex-M System Design Kit Technical Reference Manual
 * (ARM DDI 0479), APB timer. It counts TIMER_CLOCK_HZ down from the reload
 * value; reaching zero reloads it and raises the interrupt. */
#include "timer_hw.h"

#if defined(CMRX_PERIPH_TIMER0_DRIVER_CMSDK_TIMER) /* the board's timer0 is this kind */

struct cmsdk_timer {
    volatile uint32_t ctrl;      /* 0x00: bit 0 enable, bit 3 interrupt enable */
    volatile uint32_t value;     /* 0x04: current count, counts down */
    volatile uint32_t reload;    /* 0x08: value loaded when the count reaches 0 */
    volatile uint32_t intstatus; /* 0x0C: read: interrupt pending; write 1: clear */
};

#define CTRL_EN    (1u << 0)
#define CTRL_IRQEN (1u << 3)

static struct cmsdk_timer *const timer = (struct cmsdk_timer *)TIMER_BASE;

void timer_hw_start(uint32_t period_us)
{
    uint32_t ticks = TIMER_CLOCK_HZ / 1000000u * period_us;
    timer->reload = ticks;
    timer->value = ticks;
    timer->ctrl = CTRL_EN | CTRL_IRQEN;
}

void timer_hw_ack(void)
{
    timer->intstatus = 1u;
}

#endif
