/* Host port: the context operations are in port.c (speed does not matter
 * here); a switch request is only counted. */
#ifndef CMRX_PORT_IMPL_H
#define CMRX_PORT_IMPL_H

static inline void port_request_switch(void)
{
    host_switch_requests++;
}

/* Nothing interrupts the kernel on the host. */
static inline bool port_switch_pending(void)
{
    return false;
}

#endif
