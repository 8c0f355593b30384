/* Registers of the Arm CMSDK APB timer (Cortex-M System Design Kit
 * Technical Reference Manual, APB timer), as found on the MPS2 boards. */
#ifndef CMSDK_TIMER_H
#define CMSDK_TIMER_H

#include <stdint.h>

#define CMSDK_TIMER0_BASE 0x40000000u
#define CMSDK_TIMER0_IRQ  8u

struct cmsdk_timer {
    volatile uint32_t ctrl;      /* 0x00: bit 0 enable, bit 3 interrupt enable */
    volatile uint32_t value;     /* 0x04: current count, counts down */
    volatile uint32_t reload;    /* 0x08: value loaded when the count reaches 0 */
    volatile uint32_t intstatus; /* 0x0C: read: interrupt pending; write 1: clear */
};

#define CMSDK_TIMER_CTRL_EN    (1u << 0)
#define CMSDK_TIMER_CTRL_IRQEN (1u << 3)

#endif
