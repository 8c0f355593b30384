/* What the parts of the netstack process share: the core lock, the
 * interface, the wake-up word and the counters. */
#ifndef NETSTACK_CORE_H
#define NETSTACK_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/netif.h"
#include "netsock.h"

/* lwIP's core lock: held around every call into lwIP, by the stack's own
 * thread (frames, timers) and by client threads (socket calls). */
/** @return CMRX_OK, or CMRX_EKILLED when the caller's process is being
 *  killed: then the lock is not held and the call must return at once. */
int core_lock(void);
/** With the lock held: the run of the caller holding it (cmrx_rpc_caller_run(),
 *  CMRX_RUN()). */
int core_caller_run(void);
/** Let the lock go, after handing what lwIP sent meanwhile to the driver. */
void core_unlock(void);
/**
 * Hand the frames lwIP has sent since the last time to the driver, in one
 * call. Called with the lock held (core_unlock() does it).
 * @return CMRX_OK, or the driver's error (the frames are gone).
 */
int core_flush(void);

/* Waiting for anything to change (data, a connection, room, an address):
 * a waiter reads core_events under the lock, then sleeps with
 * core_wait(); every change calls core_changed() under the lock. */
void core_changed(void);
/**
 * Unlock, sleep until a change or @p timeout_us, lock again.
 * @return CMRX_OK (something changed, or may have), CMRX_ETIMEDOUT, or
 *         CMRX_EKILLED: the caller's process is being killed, the lock is
 *         not held, and the call must return at once.
 */
int core_wait(uint32_t seen, uint32_t timeout_us);
extern volatile uint32_t core_events;

extern struct netif netstack_netif;
extern struct net_stats netstack_counters;
extern uint32_t netstack_epoch; /* the stack's restart count, part of every socket handle */
extern bool netstack_dhcp;

/* sockets.c */
void sockets_reap(void);

/** What is left of @p timeout_us since @p start_us (CMRX_FOREVER stays). */
uint32_t time_left(uint32_t start_us, uint32_t timeout_us);

#endif
