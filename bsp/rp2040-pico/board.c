/* Raspberry Pi Pico: clocks from the 12 MHz crystal (clk_sys 125 MHz from
 * PLL_SYS, clk_peri = clk_sys for the UARTs), UART0, UART1 and GPIO out of
 * reset, GP0/GP1 routed to UART0 TX/RX (RX for a console driver process)
 * and GP4/GP5 to UART1 TX/RX (bsp.yaml uart1, for the process that owns
 * it: the updater, which then programs only the UART's own registers),
 * the microsecond TIMER running.
 *
 * Registers from the RP2040 datasheet (build 2023-06): resets 2.14,
 * clocks 2.15.7, crystal oscillator 2.16.7, PLL 2.18.4, IO and pads
 * 2.19.6, watchdog tick 4.7.6. Each block also answers at +0x2000 (set
 * bits) and +0x3000 (clear bits) of its registers (2.1.2). */
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))
#define SET(addr) REG((addr) + 0x2000u)
#define CLR(addr) REG((addr) + 0x3000u)

/* Resets */
#define RESETS_RESET      0x4000C000u /* used through SET/CLR */
#define RESETS_RESET_DONE REG(0x4000C008u)
#define RESET_IO_BANK0    (1u << 5)
#define RESET_PADS_BANK0  (1u << 8)
#define RESET_PLL_SYS     (1u << 12)
#define RESET_TIMER       (1u << 21)
#define RESET_UART0       (1u << 22)
#define RESET_UART1       (1u << 23)

/* Watchdog tick (datasheet 4.7.6): the 1 MHz reference of the TIMER, from
 * clk_ref (the 12 MHz crystal) divided by CYCLES. */
#define WATCHDOG_TICK     REG(0x4005802Cu)
#define WATCHDOG_TICK_EN  (1u << 9)
#define WATCHDOG_TICK_MHZ 12u

/* Crystal oscillator */
#define XOSC_CTRL         REG(0x40024000u)
#define XOSC_STATUS       REG(0x40024004u)
#define XOSC_STARTUP      REG(0x4002400Cu)
#define XOSC_FREQ_1_15MHZ 0xAA0u
#define XOSC_ENABLE       (0xFABu << 12)
#define XOSC_STABLE       (1u << 31)
#define XOSC_HZ           12000000u
/* Start-up delay in units of 256 cycles: 1 ms. */
#define XOSC_STARTUP_DELAY ((XOSC_HZ / 1000u + 128u) / 256u)

/* Clock generators: CTRL, DIV, SELECTED of each */
#define CLK_REF_CTRL         REG(0x40008030u)
#define CLK_REF_SELECTED     REG(0x40008038u)
#define CLK_SYS_CTRL         REG(0x4000803Cu)
#define CLK_SYS_DIV          REG(0x40008040u)
#define CLK_SYS_SELECTED     REG(0x40008044u)
#define CLK_PERI_CTRL        REG(0x40008048u)
#define CLK_SYS_RESUS_CTRL   REG(0x40008078u)
#define CLK_REF_SRC_XOSC     2u /* CTRL.SRC [1:0] */
#define CLK_SYS_SRC_REF      0u /* CTRL.SRC [0] */
#define CLK_SYS_SRC_AUX      1u
#define CLK_SYS_AUX_PLL_SYS  (0u << 5) /* CTRL.AUXSRC [7:5] */
#define CLK_PERI_AUX_CLK_SYS (0u << 5)
#define CLK_PERI_ENABLE      (1u << 11)
#define CLK_DIV_1            (1u << 8) /* DIV.INT [31:8] */

/* PLL_SYS: 12 MHz / REFDIV 1 * FBDIV 125 = VCO 1500 MHz; / 6 / 2 = 125 MHz */
#define PLL_SYS_CS        REG(0x40028000u)
#define PLL_SYS_PWR       0x40028004u /* used through SET/CLR */
#define PLL_SYS_FBDIV_INT REG(0x40028008u)
#define PLL_SYS_PRIM      REG(0x4002800Cu)
#define PLL_CS_LOCK       (1u << 31)
#define PLL_PWR_PD        (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD     (1u << 5)
#define PLL_REFDIV        1u
#define PLL_FBDIV         125u
#define PLL_POSTDIV1      6u
#define PLL_POSTDIV2      2u

/* GPIO0/GPIO1: function 2 is UART0 TX/RX, GPIO4/GPIO5 UART1 TX/RX
 * (datasheet 2.19.2). The pads' input enable is on out of reset. */
#define IO_BANK0_GPIO0_CTRL REG(0x40014004u)
#define IO_BANK0_GPIO1_CTRL REG(0x4001400cu)
#define IO_BANK0_GPIO4_CTRL REG(0x40014024u)
#define IO_BANK0_GPIO5_CTRL REG(0x4001402cu)
#define GPIO_FUNC_UART      2u
/* GP5's pad: pulled down out of reset; pulled up instead, so that a pin
 * with nothing on it idles as a stop bit. */
#define PADS_BANK0_GPIO5 0x4001C018u /* used through SET/CLR */
#define PAD_PDE          (1u << 2)
#define PAD_PUE          (1u << 3)

void bsp_board_init(void);

static void unreset(uint32_t blocks)
{
    CLR(RESETS_RESET) = blocks;
    while ((RESETS_RESET_DONE & blocks) != blocks) {
    }
}

void bsp_board_init(void)
{
    /* Run from the crystal first: clk_ref from XOSC, clk_sys from clk_ref,
     * so the PLL can be (re)programmed whatever a boot loader left. */
    CLK_SYS_RESUS_CTRL = 0;
    XOSC_STARTUP = XOSC_STARTUP_DELAY;
    XOSC_CTRL = XOSC_FREQ_1_15MHZ | XOSC_ENABLE;
    while ((XOSC_STATUS & XOSC_STABLE) == 0) {
    }
    CLK_REF_CTRL = CLK_REF_SRC_XOSC;
    while (CLK_REF_SELECTED != (1u << CLK_REF_SRC_XOSC)) {
    }
    CLK_SYS_CTRL = CLK_SYS_SRC_REF;
    while (CLK_SYS_SELECTED != (1u << CLK_SYS_SRC_REF)) {
    }
    /* The microsecond TIMER, by which the kernel catches its tick up after
     * a flash operation (flash_rom.c) has masked interrupts. */
    WATCHDOG_TICK = WATCHDOG_TICK_MHZ | WATCHDOG_TICK_EN;
    unreset(RESET_TIMER);

    /* PLL_SYS to 125 MHz. */
    SET(RESETS_RESET) = RESET_PLL_SYS;
    unreset(RESET_PLL_SYS);
    PLL_SYS_CS = PLL_REFDIV;
    PLL_SYS_FBDIV_INT = PLL_FBDIV;
    CLR(PLL_SYS_PWR) = PLL_PWR_PD | PLL_PWR_VCOPD;
    while ((PLL_SYS_CS & PLL_CS_LOCK) == 0) {
    }
    PLL_SYS_PRIM = (PLL_POSTDIV1 << 16) | (PLL_POSTDIV2 << 12);
    CLR(PLL_SYS_PWR) = PLL_PWR_POSTDIVPD;

    /* clk_sys from the PLL: choose the auxiliary source while it is not
     * selected, then switch the glitchless mux over. */
    CLK_SYS_DIV = CLK_DIV_1;
    CLK_SYS_CTRL = CLK_SYS_AUX_PLL_SYS | CLK_SYS_SRC_REF;
    CLK_SYS_CTRL = CLK_SYS_AUX_PLL_SYS | CLK_SYS_SRC_AUX;
    while (CLK_SYS_SELECTED != (1u << CLK_SYS_SRC_AUX)) {
    }

    /* clk_peri (the UART's clock) = clk_sys. Its source may only change
     * while it is stopped. */
    CLK_PERI_CTRL = 0;
    CLK_PERI_CTRL = CLK_PERI_AUX_CLK_SYS | CLK_PERI_ENABLE;

    /* UART0 TX on GP0, RX on GP1. */
    unreset(RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0);
    IO_BANK0_GPIO0_CTRL = GPIO_FUNC_UART;
    IO_BANK0_GPIO1_CTRL = GPIO_FUNC_UART;

    /* uart1: UART1 TX on GP4, RX on GP5. */
    unreset(RESET_UART1);
    CLR(PADS_BANK0_GPIO5) = PAD_PDE;
    SET(PADS_BANK0_GPIO5) = PAD_PUE;
    IO_BANK0_GPIO4_CTRL = GPIO_FUNC_UART;
    IO_BANK0_GPIO5_CTRL = GPIO_FUNC_UART;
}
