# gpio: which backend drives the board's pins, chosen by the driver of the
# GPIO peripheral the board's bsp.yaml names (never by the board's name).
# Sets GPIO_PERIPHERAL (that peripheral, granted to the gpio process),
# GPIO_BACKEND (a source file under src/, empty if the board has none of
# these drivers) and GPIO_PINS (the pins of that block). The peripheral's
# base, and the pins the board keeps for itself (its `reserved:` lines:
# console, debug port), come from bsp.yaml.
#
#   driver         backend              pins
#   mps2-fpgaio    hw_mps2_fpgaio.c     4    (LEDs 0-1, buttons 2-3)
#   stm32f4-gpio   hw_stm32f4.c         144  (ports A..I, port * 16 + pin)
#   nrf52-gpio     hw_nrf52.c           48   (P0.00..P0.31, P1.00..P1.15)
set(gpio_drivers mps2-fpgaio hw_mps2_fpgaio.c 4 stm32f4-gpio hw_stm32f4.c 144
    nrf52-gpio hw_nrf52.c 48)
set(GPIO_PERIPHERAL "")
set(GPIO_BACKEND "")
set(GPIO_DRIVERS "")
list(LENGTH gpio_drivers gpio_n)
math(EXPR gpio_last "${gpio_n} - 1")
foreach(i RANGE 0 ${gpio_last} 3)
    math(EXPR j "${i} + 1")
    math(EXPR k "${i} + 2")
    list(GET gpio_drivers ${i} drv)
    list(APPEND GPIO_DRIVERS ${drv})
    cmrx_board_peripherals(OUT found DRIVER ${drv})
    if(found AND NOT GPIO_PERIPHERAL)
        list(GET found 0 GPIO_PERIPHERAL)
        list(GET gpio_drivers ${j} GPIO_BACKEND)
        list(GET gpio_drivers ${k} GPIO_PINS)
    endif()
endforeach()
