/* lwIP's compiler and platform glue for CMRX processes. */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#include <cmrx/cmrx.h>

#define LWIP_NO_INTTYPES_H 1
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "lu"
#define S32_F "ld"
#define X32_F "lx"
#define SZT_F "u"


/* Diagnostics go to the console; a failed assertion is a bug of the stack:
 * the process faults, and its fault policy restarts it. */
#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        cmrx_printf x;                                                                             \
    } while (0)
void netstack_assert_failed(const char *what, int line, const char *file)
    __attribute__((noreturn));
#define LWIP_PLATFORM_ASSERT(x) netstack_assert_failed((x), __LINE__, __FILE__)

#endif
