/* ARMv6-M port: the small context operations the kernel's hot paths use,
 * inline. Included by kernel.h once the thread and process types exist. */
#ifndef CMRX_PORT_IMPL_H
#define CMRX_PORT_IMPL_H

#include "../common/frame_impl.h"
#include "../common/pmsav7_impl.h"

#endif
