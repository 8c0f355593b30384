/* B-L475E-IOT01A (STM32L475VG): 80 MHz from the internal 16 MHz HSI16 via
 * the PLL, and USART1 on PB6 (TX) and PB7 (RX), wired to the ST-LINK's
 * virtual COM port, so that a console driver process can also receive.
 * UART4 (bsp.yaml uart4) on the Arduino pins D1 = PA0 (TX) and D0 = PA1
 * (RX): clocked and routed here, so that the process that owns it (the
 * updater) programs only its own registers.
 * Registers from RM0351 rev 9: RCC 6.4, FLASH 3.7, GPIO 8.5. */
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC_CR       REG(0x40021000u)
#define RCC_CFGR     REG(0x40021008u)
#define RCC_PLLCFGR  REG(0x4002100Cu)
#define RCC_AHB2ENR  REG(0x4002104Cu)
#define RCC_APB1ENR1 REG(0x40021058u)
#define RCC_APB2ENR  REG(0x40021060u)
#define FLASH_ACR    REG(0x40022000u)
#define GPIOA_MODER  REG(0x48000000u)
#define GPIOA_PUPDR  REG(0x4800000Cu)
#define GPIOA_AFRL   REG(0x48000020u)
#define GPIOB_MODER  REG(0x48000400u)
#define GPIOB_AFRL   REG(0x48000420u)

#define CR_HSION  (1u << 8)
#define CR_HSIRDY (1u << 10)
#define CR_PLLON  (1u << 24)
#define CR_PLLRDY (1u << 25)

#define CFGR_SW_MASK 3u
#define CFGR_SW_HSI  1u
#define CFGR_SW_PLL  3u
#define CFGR_SWS(v)  (((v) >> 2) & 3u)
/* AHB, APB1 and APB2 undivided (HPRE, PPRE1, PPRE2 = 0): 80 MHz each. */
#define CFGR_BUS_MASK ((0xFu << 4) | (7u << 8) | (7u << 11))

/* HSI16 / M 1 = 16 MHz; x N 10 = 160 MHz; / R 2 = 80 MHz on PLLCLK. */
#define PLLCFGR_SRC_HSI16 2u
#define PLLCFGR_M1        (0u << 4)
#define PLLCFGR_N10       (10u << 8)
#define PLLCFGR_REN       (1u << 24)
#define PLLCFGR_R2        (0u << 25)

/* 4 wait states above 64 MHz in voltage range 1, the reset range
 * (RM0351, flash read access latency). */
#define ACR_LATENCY_4 4u
#define ACR_CACHES    ((1u << 8) | (1u << 9) | (1u << 10)) /* prefetch, I- and D-cache */

#define AHB2ENR_GPIOA  (1u << 0)
#define AHB2ENR_GPIOB  (1u << 1)
#define APB1ENR1_UART4 (1u << 19)
#define APB2ENR_USART1 (1u << 14)
/* PB6 (USART1_TX) and PB7 (USART1_RX): alternate function 7 (the
 * STM32L475 datasheet's alternate function map). */
#define PB67_MODER_AF   ((2u << 12) | (2u << 14))
#define PB67_MODER_MASK ((3u << 12) | (3u << 14))
#define PB67_AF7_USART1 ((7u << 24) | (7u << 28))
#define PB67_AFRL_MASK  ((0xFu << 24) | (0xFu << 28))
/* PA0 (UART4_TX) and PA1 (UART4_RX): alternate function 8. RX pulled up,
 * so that a header pin with nothing on it idles as a stop bit. */
#define PA01_MODER_AF   ((2u << 0) | (2u << 2))
#define PA01_MODER_MASK ((3u << 0) | (3u << 2))
#define PA01_AF8_UART4  ((8u << 0) | (8u << 4))
#define PA01_AFRL_MASK  ((0xFu << 0) | (0xFu << 4))
#define PA1_PUPDR_UP    (1u << 2)
#define PA1_PUPDR_MASK  (3u << 2)

void bsp_board_init(void);

static void switch_clock(uint32_t sw)
{
    RCC_CFGR = (RCC_CFGR & ~CFGR_SW_MASK) | sw;
    while (CFGR_SWS(RCC_CFGR) != sw) {
    }
}

void bsp_board_init(void)
{
    /* Run from HSI16 while the PLL is (re)configured: a boot loader may
     * have left it running. */
    RCC_CR |= CR_HSION;
    while (!(RCC_CR & CR_HSIRDY)) {
    }
    switch_clock(CFGR_SW_HSI);
    RCC_CR &= ~CR_PLLON;
    while (RCC_CR & CR_PLLRDY) {
    }
    RCC_PLLCFGR = PLLCFGR_SRC_HSI16 | PLLCFGR_M1 | PLLCFGR_N10 | PLLCFGR_REN | PLLCFGR_R2;
    RCC_CR |= CR_PLLON;
    while (!(RCC_CR & CR_PLLRDY)) {
    }

    /* Slow the flash down before speeding the core up. */
    FLASH_ACR = ACR_LATENCY_4 | ACR_CACHES;
    while ((FLASH_ACR & 0x7u) != ACR_LATENCY_4) {
    }
    RCC_CFGR &= ~CFGR_BUS_MASK;
    switch_clock(CFGR_SW_PLL);

    /* Console: USART1 (clocked by PCLK2 after reset, RCC_CCIPR = 0) and
     * PB6/PB7 to USART1_TX/RX. */
    RCC_AHB2ENR |= AHB2ENR_GPIOB;
    RCC_APB2ENR |= APB2ENR_USART1;
    (void)RCC_APB2ENR; /* the clock is on once the write has landed */
    GPIOB_AFRL = (GPIOB_AFRL & ~PB67_AFRL_MASK) | PB67_AF7_USART1;
    GPIOB_MODER = (GPIOB_MODER & ~PB67_MODER_MASK) | PB67_MODER_AF;

    /* uart4: UART4 (clocked by PCLK1, RCC_CCIPR = 0), PA0/PA1 to its TX/RX. */
    RCC_AHB2ENR |= AHB2ENR_GPIOA;
    RCC_APB1ENR1 |= APB1ENR1_UART4;
    (void)RCC_APB1ENR1;
    GPIOA_PUPDR = (GPIOA_PUPDR & ~PA1_PUPDR_MASK) | PA1_PUPDR_UP;
    GPIOA_AFRL = (GPIOA_AFRL & ~PA01_AFRL_MASK) | PA01_AF8_UART4;
    GPIOA_MODER = (GPIOA_MODER & ~PA01_MODER_MASK) | PA01_MODER_AF;
}
