/* IRQ delivery: a driver process owns CMSDK TIMER0 (its MMIO page and its
 * interrupt line, TIMER0_BASE and TIMER0_IRQ from the build: 0x40000000
 * and 8 on the AN385 family). The kernel's handler masks the line and
 * wakes the driver thread, which clears the device and waits again. */
#include "check.h"

#define TIMER0       TIMER0_BASE
#define TIMER_CTRL   (*(volatile uint32_t *)(TIMER0 + 0x00u))
#define TIMER_STATUS (*(volatile uint32_t *)(TIMER0 + 0x0Cu))
#define TIMER_RELOAD (*(volatile uint32_t *)(TIMER0 + 0x08u))
#define TIMER_INTCLR (*(volatile uint32_t *)(TIMER0 + 0x0Cu))
#define CTRL_ENABLE  (1u << 0)
#define CTRL_IRQ_EN  (1u << 3)
#define TIMER_IRQ    TIMER0_IRQ
#define OTHER_IRQ    (TIMER0_IRQ + 1u) /* a line nobody owns */
#define RELOAD       50000u
#define TICKS        10

static int main_thread(void *arg)
{
    (void)arg;
    /* The line is ours: enable/disable work; others are refused. */
    CHECK_EQ(cmrx_irq_enable(TIMER_IRQ), CMRX_OK);
    CHECK_EQ(cmrx_irq_disable(TIMER_IRQ), CMRX_OK);
    CHECK_EQ(cmrx_irq_enable(OTHER_IRQ), CMRX_EPERM);
    CHECK_EQ(cmrx_irq_wait(OTHER_IRQ, 1000), CMRX_EPERM);
    CHECK_EQ(cmrx_irq_enable(100000), CMRX_EINVAL);
    /* Nothing fires while the timer is off. */
    CHECK_EQ(cmrx_irq_wait(TIMER_IRQ, 3000), CMRX_ETIMEDOUT);

    TIMER_RELOAD = RELOAD;
    TIMER_CTRL = CTRL_ENABLE | CTRL_IRQ_EN;
    uint32_t prev = cmrx_time_us();
    uint32_t shortest = 0xFFFFFFFFu, longest = 0;
    for (int i = 0; i < TICKS; i++) {
        CHECK_EQ(cmrx_irq_wait(TIMER_IRQ, 20000), CMRX_OK);
        /* Every wake-up is a real device interrupt, none a stale repeat. */
        CHECK_EQ(TIMER_STATUS, 1);
        TIMER_INTCLR = 1;
        uint32_t now = cmrx_time_us();
        if (i > 0) {
            shortest = now - prev < shortest ? now - prev : shortest;
            longest = now - prev > longest ? now - prev : longest;
        }
        prev = now;
    }
    /* A line that fires while its owner does not wait for it stays fired:
     * the next wait returns at once, and takes the mark. */
    CHECK_EQ(cmrx_irq_enable(TIMER_IRQ), CMRX_OK);
    cmrx_usleep(5000); /* more than a period */
    CHECK_EQ(cmrx_irq_wait(TIMER_IRQ, 0), CMRX_OK);
    CHECK_EQ(TIMER_STATUS, 1);
    TIMER_INTCLR = 1;
    CHECK_EQ(cmrx_irq_wait(TIMER_IRQ, 0), CMRX_ETIMEDOUT);
    TIMER_CTRL = 0;
    cmrx_printf("irq_drv: %d interrupts, period %lu..%lu us\n", TICKS, (unsigned long)shortest,
                (unsigned long)longest);
    /* One wake-up per timer period: steady spacing. */
    CHECK(shortest > 100u && longest - shortest <= 50u);
    cmrx_usleep(3000); /* let irq_other try */
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
