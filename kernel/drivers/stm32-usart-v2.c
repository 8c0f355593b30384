/* STM32 USART with the ISR/TDR register map (STM32F0, F3, F7, L4, G0, G4,
 * H7): the logic of stm32-usart.c on the other map, see there. */
#define STM32_USART_ISR_MAP
#include "stm32-usart.c"
