/* The PMSAv6/PMSAv7 ports' RPC region switched off: VALID, its number, and
 * RASR zero (disabled). */
#include "pmsav7.h"

const uint32_t cmrx_port_rpc_off[2] = {PMSAV7_RBAR_VALID | PMSAV7_REGION_RPC, 0};
