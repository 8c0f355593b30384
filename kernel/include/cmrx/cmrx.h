/* Everything a CMRX process needs: include this one header. */
#ifndef CMRX_CMRX_H
#define CMRX_CMRX_H

#include <cmrx/console.h>
#include <cmrx/errno.h>
#include <cmrx/process.h>
#include <cmrx/system.h>
#include <cmrx/thread.h>
#include <cmrx/time.h>

#endif
