/* Everything a CMRX process needs: include this one header. */
#ifndef CMRX_CMRX_H
#define CMRX_CMRX_H

#include <cmrx/console.h>
#include <cmrx/errno.h>
#include <cmrx/flash.h>
#include <cmrx/format.h>
#include <cmrx/irq.h>
#include <cmrx/mutex.h>
#include <cmrx/process.h>
#include <cmrx/rpc.h>
#include <cmrx/signal.h>
#include <cmrx/system.h>
#include <cmrx/thread.h>
#include <cmrx/time.h>
#include <cmrx/update.h>
#include <cmrx/wait.h>

#endif
