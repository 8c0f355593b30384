/* Sim port: a switch request is a flag the kernel's exit path reads. */
#ifndef CMRX_PORT_IMPL_H
#define CMRX_PORT_IMPL_H

extern bool cmrx_sim_switch;

static inline void port_request_switch(void)
{
    cmrx_sim_switch = true;
}

/* The tick signal is blocked while the kernel works: nothing interrupts it. */
static inline bool port_switch_pending(void)
{
    return false;
}

#endif
