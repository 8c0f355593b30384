/* CMRX kernel version. */
#ifndef CMRX_VERSION_H
#define CMRX_VERSION_H

#define CMRX_VERSION_MAJOR  0
#define CMRX_VERSION_MINOR  1
#define CMRX_VERSION_PATCH  0
#define CMRX_VERSION_STRING "0.1.0"

#endif
