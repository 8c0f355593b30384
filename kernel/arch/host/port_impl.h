/* Host port: everything is in port.c (speed does not matter here). */
#ifndef CMRX_PORT_IMPL_H
#define CMRX_PORT_IMPL_H
#endif
