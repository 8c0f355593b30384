/* Netduino Plus 2 (STM32F405RG): 168 MHz from the internal 16 MHz HSI via
 * the PLL, and USART6 on PC6 (TX, header pin D1) and PC7 (RX, D0) for the
 * console, so that a console driver process can also receive.
 * TIM2's clock is on for a driver process, and USART2 (bsp.yaml usart2)
 * on PA2 (TX, D3) and PA3 (RX, D2) for the process that owns it (the
 * updater), which then programs only the USART's own registers.
 * Registers from RM0090 rev 19: RCC 7.3, FLASH 3.9, GPIO 8.4. */
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC_CR      REG(0x40023800u)
#define RCC_PLLCFGR REG(0x40023804u)
#define RCC_CFGR    REG(0x40023808u)
#define RCC_AHB1ENR REG(0x40023830u)
#define RCC_APB1ENR REG(0x40023840u)
#define RCC_APB2ENR REG(0x40023844u)
#define FLASH_ACR   REG(0x40023C00u)
#define GPIOA_MODER REG(0x40020000u)
#define GPIOA_PUPDR REG(0x4002000Cu)
#define GPIOA_AFRL  REG(0x40020020u)
#define GPIOC_MODER REG(0x40020800u)
#define GPIOC_AFRL  REG(0x40020820u)

#define CR_HSION  (1u << 0)
#define CR_HSIRDY (1u << 1)
#define CR_HSERDY (1u << 17)
#define CR_PLLON  (1u << 24)
#define CR_PLLRDY (1u << 25)

#define CFGR_SW_MASK  3u
#define CFGR_SW_HSI   0u
#define CFGR_SW_PLL   2u
#define CFGR_SWS(v)   (((v) >> 2) & 3u)
#define CFGR_PPRE1_4  (5u << 10) /* APB1 = HCLK / 4 = 42 MHz (max 42) */
#define CFGR_PPRE2_2  (4u << 13) /* APB2 = HCLK / 2 = 84 MHz (max 84) */
#define CFGR_BUS_MASK ((0xFu << 4) | (7u << 10) | (7u << 13))

/* HSI 16 MHz / M 8 = 2 MHz; x N 168 = 336 MHz; / P 2 = 168 MHz, / Q 7 = 48 MHz.
 * PLLSRC = 0: HSI. The register's other bits are reserved: kept as they are. */
#define PLLCFGR_FIELDS (0x3Fu | (0x1FFu << 6) | (3u << 16) | (1u << 22) | (0xFu << 24))
#define PLLCFGR_VALUE  (8u | (168u << 6) | (0u << 16) | (7u << 24))

/* 5 wait states from 150 to 168 MHz at 2.7-3.6 V (RM0090, flash read access latency). */
#define ACR_LATENCY_5 5u
#define ACR_CACHES    ((1u << 8) | (1u << 9) | (1u << 10)) /* prefetch, I- and D-cache */

#define AHB1ENR_GPIOA  (1u << 0)
#define AHB1ENR_GPIOC  (1u << 2)
#define APB1ENR_TIM2   (1u << 0)
#define APB1ENR_USART2 (1u << 17)
#define APB2ENR_USART6 (1u << 5)
/* PC6 (USART6_TX) and PC7 (USART6_RX): alternate function 8 (the
 * STM32F405 datasheet's alternate function map). */
#define PC67_MODER_AF   ((2u << 12) | (2u << 14))
#define PC67_MODER_MASK ((3u << 12) | (3u << 14))
#define PC67_AF8_USART6 ((8u << 24) | (8u << 28))
#define PC67_AFRL_MASK  ((0xFu << 24) | (0xFu << 28))
/* PA2 (USART2_TX) and PA3 (USART2_RX): alternate function 7. RX pulled
 * up, so that a header pin with nothing on it idles as a stop bit. */
#define PA23_MODER_AF   ((2u << 4) | (2u << 6))
#define PA23_MODER_MASK ((3u << 4) | (3u << 6))
#define PA23_AF7_USART2 ((7u << 8) | (7u << 12))
#define PA23_AFRL_MASK  ((0xFu << 8) | (0xFu << 12))
#define PA3_PUPDR_UP    (1u << 6)
#define PA3_PUPDR_MASK  (3u << 6)

void bsp_board_init(void);

static void switch_clock(uint32_t sw)
{
    RCC_CFGR = (RCC_CFGR & ~CFGR_SW_MASK) | sw;
    while (CFGR_SWS(RCC_CFGR) != sw) {
    }
}

void bsp_board_init(void)
{
    /* A running core always has its clock's ready flag set. All of them
     * clear means no RCC is there: QEMU, whose core runs at a fixed
     * 168 MHz and whose USART needs neither clock nor pin. */
    if ((RCC_CR & (CR_HSIRDY | CR_HSERDY | CR_PLLRDY)) == 0) {
        return;
    }

    /* Run from HSI while the PLL is (re)configured: a boot loader may have
     * left it running. The voltage scale after reset (VOS = 1) allows
     * 168 MHz. */
    RCC_CR |= CR_HSION;
    while (!(RCC_CR & CR_HSIRDY)) {
    }
    switch_clock(CFGR_SW_HSI);
    RCC_CR &= ~CR_PLLON;
    while (RCC_CR & CR_PLLRDY) {
    }
    RCC_PLLCFGR = (RCC_PLLCFGR & ~PLLCFGR_FIELDS) | PLLCFGR_VALUE;
    RCC_CR |= CR_PLLON;
    while (!(RCC_CR & CR_PLLRDY)) {
    }

    /* Slow the flash down before speeding the core up. */
    FLASH_ACR = ACR_LATENCY_5 | ACR_CACHES;
    while ((FLASH_ACR & 0x7u) != ACR_LATENCY_5) {
    }
    RCC_CFGR = (RCC_CFGR & ~CFGR_BUS_MASK) | CFGR_PPRE1_4 | CFGR_PPRE2_2;
    switch_clock(CFGR_SW_PLL);

    /* Console: USART6 clock on, PC6/PC7 to USART6_TX/RX. */
    RCC_AHB1ENR |= AHB1ENR_GPIOC;
    RCC_APB2ENR |= APB2ENR_USART6;
    (void)RCC_APB2ENR; /* the clock is on once the write has landed */
    GPIOC_AFRL = (GPIOC_AFRL & ~PC67_AFRL_MASK) | PC67_AF8_USART6;
    GPIOC_MODER = (GPIOC_MODER & ~PC67_MODER_MASK) | PC67_MODER_AF;

    /* TIM2's clock, for a driver process that owns the timer (the driver
     * template's): the clock gates are in the RCC, which every device
     * shares, so no process may own them. */
    RCC_APB1ENR |= APB1ENR_TIM2;

    /* usart2: USART2's clock on, PA2/PA3 to USART2_TX/RX. */
    RCC_AHB1ENR |= AHB1ENR_GPIOA;
    RCC_APB1ENR |= APB1ENR_USART2;
    (void)RCC_APB1ENR;
    GPIOA_PUPDR = (GPIOA_PUPDR & ~PA3_PUPDR_MASK) | PA3_PUPDR_UP;
    GPIOA_AFRL = (GPIOA_AFRL & ~PA23_AFRL_MASK) | PA23_AF7_USART2;
    GPIOA_MODER = (GPIOA_MODER & ~PA23_MODER_MASK) | PA23_MODER_AF;
}
