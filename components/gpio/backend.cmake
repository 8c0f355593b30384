# gpio: which backend drives this board's pins. Sets GPIO_BACKEND (a
# source file under src/, empty if the board has none), GPIO_BASE,
# GPIO_MMIO (base:size granted to the driver), GPIO_PINS and GPIO_RESERVED
# (pins the board keeps: console, debug port). A board the table does not
# know can set all five before component.cmake is included.
if(NOT DEFINED GPIO_BACKEND)
    set(GPIO_BACKEND "")
    set(GPIO_RESERVED "")
    if(CMRX_BSP_NAME MATCHES "^qemu-mps2-an(385|386|500)$")
        # FPGA I/O: 2 LEDs, 2 buttons.
        set(GPIO_BACKEND hw_mps2_fpgaio.c)
        set(GPIO_BASE 0x40028000)
        set(GPIO_MMIO 0x40028000:0x20)
        set(GPIO_PINS 4)
    elseif(CMRX_BSP_NAME STREQUAL "qemu-mps2-an505")
        # The same FPGA I/O in the AN505 image (Secure alias, as the kernel runs Secure).
        set(GPIO_BACKEND hw_mps2_fpgaio.c)
        set(GPIO_BASE 0x50302000)
        set(GPIO_MMIO 0x50302000:0x20)
        set(GPIO_PINS 4)
    elseif(CMRX_BSP_NAME STREQUAL "qemu-netduinoplus2")
        # STM32F405: ports A..I, plus the RCC for their clocks.
        set(GPIO_BACKEND hw_stm32f4.c)
        set(GPIO_BASE 0x40020000)
        set(GPIO_MMIO 0x40020000:0x4000)
        set(GPIO_PINS 144)
        set(GPIO_RESERVED 13 14 38 39) # PA13 SWDIO, PA14 SWCLK, PC6/PC7 console USART6
    elseif(CMRX_BSP_NAME STREQUAL "nrf52840-dk")
        # nRF52840: P0.00..P0.31, P1.00..P1.15.
        set(GPIO_BACKEND hw_nrf52.c)
        set(GPIO_BASE 0x50000000)
        set(GPIO_MMIO 0x50000000:0x1000)
        set(GPIO_PINS 48)
        set(GPIO_RESERVED 0 1 6 8 18) # 32 kHz crystal, console TX/RX, reset
    endif()
endif()
