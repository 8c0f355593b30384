/* The vector table: core exceptions go to the kernel, every interrupt to
 * the kernel's IRQ entry. The number of interrupts comes from the BSP; the
 * port says which fault exceptions its architecture has. */
#include <stdint.h>

#include "bsp_config.h"
#include "port.h"

extern uint32_t __cmrx_msp_top[];
void cmrx_port_reset(void);
void cmrx_port_nmi(void);
void cmrx_port_hardfault(void);
void cmrx_port_memmanage(void);
void cmrx_port_busfault(void);
void cmrx_port_usagefault(void);
void cmrx_port_securefault(void);
void cmrx_port_svc(void);
void cmrx_port_pendsv(void);
void cmrx_port_systick(void);
void cmrx_port_irq(void);

#define V(fn) ((uint32_t)(fn))

__attribute__((section(".vectors"), used)) const uint32_t cmrx_vectors[16 + CMRX_BSP_IRQ_COUNT] = {
    [0] = V(__cmrx_msp_top),        [1] = V(cmrx_port_reset),
    [2] = V(cmrx_port_nmi),         [3] = V(cmrx_port_hardfault),
#if CMRX_PORT_CONFIGURABLE_FAULTS
    [4] = V(cmrx_port_memmanage),   [5] = V(cmrx_port_busfault),
    [6] = V(cmrx_port_usagefault),
#endif
#if CMRX_PORT_SECUREFAULT
    [7] = V(cmrx_port_securefault),
#endif
    [11] = V(cmrx_port_svc),        [14] = V(cmrx_port_pendsv),
    [15] = V(cmrx_port_systick),    [16 ... 16 + CMRX_BSP_IRQ_COUNT - 1] = V(cmrx_port_irq),
};
