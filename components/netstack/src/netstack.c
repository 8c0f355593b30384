/* The netstack process: lwIP in a process of its own.
 *
 * One thread runs the stack: it waits for frames from the NIC driver
 * (netdev recv_batch over RPC, into a buffer in this process's shared memory),
 * feeds it to lwIP and runs lwIP's timers, all under the core lock. Client
 * threads come in by RPC (sockets.c) and run lwIP's raw API under the same
 * lock; what they send leaves through the driver's send() on their own
 * thread. The driver is reopened by itself when it restarts.
 */
#include <string.h>

#include "core.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netdev.h"
#include "netif/ethernet.h"

#define WAKE_ALL    255u
#define TICK_MAX_US 100000u /* the thread looks at timers at least this often */
#define REOPEN_US   50000u  /* retry period while the driver is down */

extern struct netdev NETSTACK_NETDEV;

struct netif netstack_netif;
struct net_stats netstack_counters;
uint32_t netstack_epoch;
bool netstack_dhcp;
volatile uint32_t core_events;

static cmrx_svc_mutex_t core = CMRX_SVC_MUTEX_INIT;
static uint32_t waiters;
static bool dev_open;
static uint32_t dev_epoch = 0xFFFFFFFFu;

/* Frames cross to and from the driver here: the only memory of this
 * process the driver sees, and only during its calls. */
/* A burst of frames per call into the driver, each way (the setting
 * batch). Shared memory is loaded from flash at start: each entry costs
 * 1.5 KiB of flash too. */
#define RX_BATCH (NETSTACK_BATCH * NETDEV_BATCH_ENTRY)
static CMRX_SHARED uint32_t rx_frames[RX_BATCH / 4u];
/* Frames lwIP sends wait here, laid out for send_batch(), until the lock
 * is let go (or there is no room for another): one call into the driver
 * for what one socket call or one burst of received frames sends. */
#define TX_BATCH (NETSTACK_BATCH * NETDEV_BATCH_ENTRY)
static CMRX_SHARED uint32_t tx_frames[TX_BATCH / 4u];
static uint32_t tx_used;
static CMRX_SHARED struct netdev_info dev_info;

/* The run of the caller holding the lock (cmrx_rpc_caller_run(), CMRX_RUN();
 * CMRX_ESRCH for the stack's own thread), read once per lock: the sockets'
 * owner checks then need no system call of their own. */
static int core_run;

static int lock_as(int run)
{
    /* A caller the kernel stopped mid-call (killed, kept from returning by
     * busier threads) left lwIP half-updated: restart, as after a failed
     * assertion. */
    int rc = cmrx_svc_mutex_lock_run_or_restart(&core, run, "netstack");
    if (rc == CMRX_OK) {
        core_run = run;
    }
    return rc;
}

#ifdef NETSTACK_DIRECT
/* Linked into its one client: every thread is at home, the process's. */
static int caller_run(void)
{
    static int run = -1; /* its restart count does not change while it runs */
    if (run < 0) {
        int self = cmrx_process_self();
        run = CMRX_RUN(self, cmrx_process_restarts((unsigned)self));
    }
    return run;
}
#else
static int caller_run(void)
{
    return cmrx_rpc_caller_run(NULL, 0);
}
#endif

int core_lock(void)
{
    return lock_as(caller_run());
}

int core_caller_run(void)
{
    return core_run;
}

/* Hand the frames waiting in tx_frames to the driver. Called with the lock. */
int core_flush(void)
{
    if (tx_used == 0) {
        return CMRX_OK;
    }
    int rc = NETDEV_CALL(&NETSTACK_NETDEV, send_batch, tx_frames, tx_used);
    tx_used = 0;
    if (rc != CMRX_OK && rc != CMRX_EINVAL && rc != CMRX_ETIMEDOUT) {
        dev_open = false; /* the driver restarted or is gone: reopen */
    }
    return rc;
}

void core_unlock(void)
{
    core_flush();
    cmrx_svc_mutex_unlock(&core);
}

void core_changed(void)
{
    core_events++;
    if (waiters != 0) {
        cmrx_notify(&core_events, WAKE_ALL);
    }
}

int core_wait(uint32_t seen, uint32_t timeout_us)
{
    int run = core_run; /* the same caller locks again */
    waiters++;
    core_unlock();
    int rc = timeout_us == 0 ? CMRX_ETIMEDOUT : cmrx_wait(&core_events, seen, timeout_us);
    if (lock_as(run) != CMRX_OK) {
        return CMRX_EKILLED; /* (waiters stays one too high: it only costs notifies) */
    }
    waiters--;
    if (rc == CMRX_EKILLED) {
        core_unlock();
        return CMRX_EKILLED;
    }
    return rc == CMRX_ETIMEDOUT ? CMRX_ETIMEDOUT : CMRX_OK;
}

uint32_t time_left(uint32_t start_us, uint32_t timeout_us)
{
    if (timeout_us == CMRX_FOREVER) {
        return CMRX_FOREVER;
    }
    uint32_t spent = cmrx_time_us() - start_us;
    return spent >= timeout_us ? 0 : timeout_us - spent;
}

/* ---- lwIP's platform: time, random numbers, assertions -------------------- */

/* Milliseconds from the microsecond clock, which wraps after 71 minutes:
 * the remainder is carried, so lwIP's clock wraps only after 49 days.
 * Called with the core lock held, more often than every 71 minutes (the
 * stack's thread ticks at least every TICK_MAX_US). */
u32_t sys_now(void)
{
    static uint32_t last_us, ms, rem_us;
    uint32_t now = cmrx_time_us();
    uint32_t d = now - last_us + rem_us;
    last_us = now;
    ms += d / 1000u;
    rem_us = d % 1000u;
    return ms;
}

/* xorshift32, seeded from the clock and the MAC address at start: ports,
 * TCP sequence numbers and DHCP transaction ids need not repeat across
 * restarts, not be secret (there is no entropy source here). */
static uint32_t rand_state;

uint32_t netstack_rand(void)
{
    uint32_t x = rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rand_state = x;
    return x;
}

void netstack_assert_failed(const char *what, int line, const char *file)
{
    cmrx_printf("netstack: lwIP assertion failed: %s (%s:%d)\n", what, file, line);
    __builtin_trap(); /* a fault: the process is restarted by its fault policy */
}

/* ---- the interface ------------------------------------------------------------ */

static err_t link_output(struct netif *nif, struct pbuf *p)
{
    (void)nif;
    uint16_t len = (uint16_t)(p->tot_len - ETH_PAD_SIZE);
    if (!dev_open || len > NETDEV_FRAME_MAX) {
        return ERR_IF;
    }
    if (TX_BATCH - tx_used < NETDEV_BATCH_ENTRY && core_flush() != CMRX_OK && !dev_open) {
        return ERR_IF;
    }
    uint8_t *at = (uint8_t *)tx_frames + tx_used;
    *(uint32_t *)(void *)at = len;
    pbuf_copy_partial(p, at + 4, len, ETH_PAD_SIZE);
    tx_used += 4u + ((len + 3u) & ~3u);
    netstack_counters.tx_frames++;
    return ERR_OK;
}

static void status_changed(struct netif *nif)
{
    if (netif_is_up(nif) && !ip4_addr_isany_val(*netif_ip4_addr(nif))) {
        const ip4_addr_t *a = netif_ip4_addr(nif), *m = netif_ip4_netmask(nif),
                         *g = netif_ip4_gw(nif);
        cmrx_printf("netstack: up %u.%u.%u.%u netmask %u.%u.%u.%u gateway %u.%u.%u.%u (%s)\n",
                    ip4_addr1(a), ip4_addr2(a), ip4_addr3(a), ip4_addr4(a), ip4_addr1(m),
                    ip4_addr2(m), ip4_addr3(m), ip4_addr4(m), ip4_addr1(g), ip4_addr2(g),
                    ip4_addr3(g), ip4_addr4(g), netstack_dhcp ? "dhcp" : "static");
    }
    core_changed();
}

static err_t netif_setup(struct netif *nif)
{
    nif->name[0] = 'e';
    nif->name[1] = 'n';
    nif->output = etharp_output;
    nif->linkoutput = link_output;
    nif->mtu = NETDEV_MTU;
    nif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(nif->hwaddr, dev_info.mac, ETH_HWADDR_LEN);
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    return ERR_OK;
}

/* Open (or reopen, after the driver restarted) the NIC. Called with the lock. */
static bool device_open(void)
{
    int rc = NETDEV_CALL(&NETSTACK_NETDEV, open, &dev_info);
    if (rc != CMRX_OK) {
        return false;
    }
    netstack_counters.driver_restarts = dev_info.epoch; /* the kernel's count: it outlives us */
    if (dev_epoch != 0xFFFFFFFFu && dev_info.epoch != dev_epoch) {
        cmrx_printf("netstack: the NIC driver restarted (epoch %u): reopened\n",
                    (unsigned)dev_info.epoch);
    }
    dev_epoch = dev_info.epoch;
    dev_open = true;
    return true;
}

static void interface_start(void)
{
    ip4_addr_t ip, mask, gw;
#ifdef NETSTACK_IP
    netstack_dhcp = false;
    ip4addr_aton(NETSTACK_IP, &ip);
    ip4addr_aton(NETSTACK_NETMASK, &mask);
    ip4addr_aton(NETSTACK_GATEWAY, &gw);
#else
    netstack_dhcp = true;
    ip4_addr_set_zero(&ip);
    ip4_addr_set_zero(&mask);
    ip4_addr_set_zero(&gw);
#endif
    netif_add(&netstack_netif, &ip, &mask, &gw, NULL, netif_setup, ethernet_input);
    netif_set_default(&netstack_netif);
    netif_set_status_callback(&netstack_netif, status_changed);
    netif_set_link_up(&netstack_netif);
    netif_set_up(&netstack_netif);
    if (netstack_dhcp) {
        dhcp_start(&netstack_netif);
    }
}

/* ---- the stack's thread ----------------------------------------------------------- */

/* Frames up to this length are ARP, TCP acknowledgements and other control
 * frames the stack consumes at once (an ACK is 54..66 bytes). */
#define CONTROL_FRAME_MAX 128

static void frame_in(const void *frame, uint32_t len)
{
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)(len + ETH_PAD_SIZE), PBUF_POOL);
    if (p == NULL && len <= CONTROL_FRAME_MAX) {
        /* Data that applications have not read yet holds the whole pool (up
         * to a window per connection). Were acknowledgements dropped too, a
         * process that does not read would stop every other connection's
         * sending, and a sender waiting on its peer's ACKs before it reads
         * the rest would wait for ever. The heap takes the small frames. */
        p = pbuf_alloc(PBUF_RAW, (u16_t)(len + ETH_PAD_SIZE), PBUF_RAM);
        if (p != NULL) {
            netstack_counters.rx_control++;
        }
    }
    if (p == NULL) {
        netstack_counters.rx_dropped++;
        return;
    }
    pbuf_take_at(p, frame, (u16_t)len, ETH_PAD_SIZE);
    netstack_counters.rx_frames++;
    if (netstack_netif.input(p, &netstack_netif) != ERR_OK) {
        pbuf_free(p);
    }
}

static int netstack_main(void *arg)
{
    (void)arg;
    netstack_epoch = (uint32_t)cmrx_process_restarts((unsigned)cmrx_process_self());
    netstack_counters.epoch = netstack_epoch;
    netstack_counters.sockets_max = NETSTACK_SOCKETS;
    if (core_lock() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    lwip_init();
    while (!device_open()) {
        core_unlock();
        cmrx_usleep(REOPEN_US);
        if (core_lock() != CMRX_OK) {
            return CMRX_EKILLED;
        }
    }
    rand_state = cmrx_time_us() ^ ((uint32_t)dev_info.mac[5] << 24 | dev_info.mac[4] << 16) ^
                 (netstack_epoch * 2654435761u) ^ 0x9E3779B9u;
    interface_start();
    uint32_t last_reap = cmrx_time_us();
    for (;;) {
        uint32_t wait_us = sys_timeouts_sleeptime() * 1000u;
        if (wait_us > TICK_MAX_US) {
            wait_us = TICK_MAX_US;
        }
        bool open = dev_open || device_open();
        core_unlock();
        int n = open ? NETDEV_CALL(&NETSTACK_NETDEV, recv_batch, rx_frames, RX_BATCH, wait_us)
                     : (cmrx_usleep(REOPEN_US), CMRX_ETIMEDOUT);
        if (n == CMRX_EKILLED || core_lock() != CMRX_OK) {
            return CMRX_EKILLED; /* this process is going */
        }
        if (n > 0) {
            /* Length words and frames, as the driver laid them out. */
            const uint8_t *at = (const uint8_t *)rx_frames, *end = at + n;
            while (end - at >= 4) {
                uint32_t len = *(const uint32_t *)(const void *)at;
                if (len > NETDEV_FRAME_MAX || (uint32_t)(end - at) - 4u < len) {
                    break; /* not what the interface promises: drop the rest */
                }
                frame_in(at + 4, len);
                at += 4u + ((len + 3u) & ~3u);
            }
        } else if (n != CMRX_ETIMEDOUT) {
            dev_open = false; /* restarted (NETDEV_ECLOSED), gone or faulted: reopen */
        }
        sys_check_timeouts();
        if (cmrx_time_us() - last_reap >= TICK_MAX_US) {
            last_reap = cmrx_time_us();
            sockets_reap();
        }
    }
}

/* Its priority is the process's; a build that links the stack into its
 * client's process (NETSTACK_DIRECT) gives it its own. */
#ifndef NETSTACK_THREAD_PRIORITY
#define NETSTACK_THREAD_PRIORITY CMRX_PRIO_PROCESS_DEFAULT
#endif
CMRX_THREAD_PRIO(netstack_main, NULL, NETSTACK_THREAD_PRIORITY);
