/* The lan9118 driver process: owns one LAN9118 (its registers and its
 * interrupt line) and serves it as a netdev (include/netdev.h).
 *
 * Received frames stay in the device's RX FIFO until the owner's recv()
 * copies one straight into its buffer: the FIFO (about 10 KiB) is the
 * receive queue, and no frame is copied twice. The driver's own thread
 * only serves the interrupt: it acknowledges the device and wakes the
 * receivers. send() copies the frame into the TX FIFO on the caller's
 * thread. Receive and transmit have a lock each, so a send need not wait
 * for a receiver.
 */
#include <stdbool.h>
#include <string.h>

#include <cmrx/cmrx.h>

#include "lan9118_regs.h"
#include "netdev.h"

#define REG(off) (*(volatile uint32_t *)(LAN9118_BASE + (off)))

#define SEND_TIMEOUT_US 1000000u /* a device that takes no frame for so long is stuck */
#define WAKE_ALL        255u

static cmrx_svc_mutex_t rx_lock = CMRX_SVC_MUTEX_INIT; /* the RX FIFOs */
static cmrx_svc_mutex_t tx_lock = CMRX_SVC_MUTEX_INIT; /* the TX FIFO */
static volatile uint32_t rx_seq;                       /* bumped by each receive interrupt */
static volatile uint32_t ready;                        /* set once the device is up */
static int owner = -1;                                 /* the process that opened the device */
static uint8_t mac[6];
static struct netdev_stats stats;

/* Take @p m: CMRX_OK, or CMRX_EKILLED (not taken: the caller is dying,
 * return at once). A holder the kernel stopped mid-call may have left a
 * frame half-moved through a FIFO: the driver faults, the kernel restarts
 * it (the controller is reset) and the stack opens it again. */
static int lock(cmrx_svc_mutex_t *m)
{
    return cmrx_svc_mutex_lock_or_restart(m, "lan9118");
}

/* ---- device access --------------------------------------------------------- */

/* Wait (at most about a millisecond of polls) for @p reg & @p mask == @p want. */
static int poll_reg(uint32_t reg, uint32_t mask, uint32_t want)
{
    for (unsigned i = 0; i < 10000u; i++) {
        if ((REG(reg) & mask) == want) {
            return CMRX_OK;
        }
    }
    return NETDEV_ENODEV;
}

static int mac_write(uint32_t csr, uint32_t value)
{
    if (poll_reg(MAC_CSR_CMD, MAC_CSR_BUSY, 0) != CMRX_OK) {
        return NETDEV_ENODEV;
    }
    REG(MAC_CSR_DATA) = value;
    REG(MAC_CSR_CMD) = MAC_CSR_BUSY | csr;
    return poll_reg(MAC_CSR_CMD, MAC_CSR_BUSY, 0);
}

static int mac_read(uint32_t csr, uint32_t *value)
{
    if (poll_reg(MAC_CSR_CMD, MAC_CSR_BUSY, 0) != CMRX_OK) {
        return NETDEV_ENODEV;
    }
    REG(MAC_CSR_CMD) = MAC_CSR_BUSY | MAC_CSR_READ | csr;
    if (poll_reg(MAC_CSR_CMD, MAC_CSR_BUSY, 0) != CMRX_OK) {
        return NETDEV_ENODEV;
    }
    *value = REG(MAC_CSR_DATA);
    return CMRX_OK;
}

static int phy_write(uint32_t reg, uint32_t value)
{
    uint32_t acc = 0;
    if (mac_read(MAC_MII_ACC, &acc) != CMRX_OK || (acc & MII_ACC_BUSY) != 0 ||
        mac_write(MAC_MII_DATA, value) != CMRX_OK) {
        return NETDEV_ENODEV;
    }
    return mac_write(MAC_MII_ACC, MII_ACC(reg, 1));
}

static int phy_read(uint32_t reg, uint32_t *value)
{
    if (mac_write(MAC_MII_ACC, MII_ACC(reg, 0)) != CMRX_OK) {
        return NETDEV_ENODEV;
    }
    for (unsigned i = 0; i < 1000u; i++) {
        uint32_t acc;
        if (mac_read(MAC_MII_ACC, &acc) != CMRX_OK) {
            return NETDEV_ENODEV;
        }
        if ((acc & MII_ACC_BUSY) == 0) {
            return mac_read(MAC_MII_DATA, value);
        }
    }
    return NETDEV_ENODEV;
}

/* Reset the device and start it: receive for our address and broadcasts,
 * interrupt when the RX status FIFO holds a frame. */
static int device_start(void)
{
    if (REG(BYTE_TEST) != BYTE_TEST_VALUE) {
        cmrx_printf("lan9118: no LAN9118 at 0x%08x (BYTE_TEST reads 0x%08x)\n",
                    (unsigned)LAN9118_BASE, (unsigned)REG(BYTE_TEST));
        return NETDEV_ENODEV;
    }
    REG(HW_CFG) = HW_CFG_SRST;
    if (poll_reg(HW_CFG, HW_CFG_SRST, 0) != CMRX_OK ||
        poll_reg(PMT_CTRL, PMT_CTRL_READY, PMT_CTRL_READY) != CMRX_OK) {
        cmrx_printf("lan9118: the device does not come out of reset\n");
        return NETDEV_ENODEV;
    }
    uint32_t hi = 0, lo = 0;
    if (mac_read(MAC_ADDRH, &hi) != CMRX_OK || mac_read(MAC_ADDRL, &lo) != CMRX_OK) {
        return NETDEV_ENODEV;
    }
    for (unsigned i = 0; i < 4u; i++) {
        mac[i] = (uint8_t)(lo >> (8u * i));
    }
    mac[4] = (uint8_t)hi;
    mac[5] = (uint8_t)(hi >> 8);
    if ((mac[0] & 1u) != 0 || (lo == 0 && (hi & 0xFFFFu) == 0) ||
        (lo == 0xFFFFFFFFu && (hi & 0xFFFFu) == 0xFFFFu)) {
        /* No address from the EEPROM: a locally administered one. */
        static const uint8_t local[6] = {0x02, 0x00, 0x00, 0x11, 0x81, 0x18};
        memcpy(mac, local, sizeof(mac));
        if (mac_write(MAC_ADDRL, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
                                     (uint32_t)mac[3] << 24) != CMRX_OK ||
            mac_write(MAC_ADDRH, (uint32_t)mac[4] | (uint32_t)mac[5] << 8) != CMRX_OK) {
            return NETDEV_ENODEV;
        }
    }
    if (phy_write(PHY_BCR, PHY_BCR_AUTONEG | PHY_BCR_RESTART_AN) != CMRX_OK ||
        mac_write(MAC_CR, MAC_CR_TXEN | MAC_CR_RXEN | MAC_CR_FDPX) != CMRX_OK) {
        cmrx_printf("lan9118: the MAC does not answer\n");
        return NETDEV_ENODEV;
    }
    REG(TX_CFG) = TX_CFG_TX_ON | TX_CFG_TXSAO;
    REG(RX_CFG) = 0;   /* frames start at the first byte of the first word */
    REG(FIFO_INT) = 0; /* interrupt as soon as one RX status is there */
    REG(INT_STS) = 0xFFFFFFFFu;
    REG(INT_EN) = INT_RSFL | INT_RXDF;
    REG(IRQ_CFG) = IRQ_CFG_IRQ_EN | IRQ_CFG_IRQ_POL | IRQ_CFG_IRQ_TYPE;
    return CMRX_OK;
}

/* ---- the netdev methods ------------------------------------------------------ */

static int check_owner(void)
{
    if (!ready) {
        return NETDEV_ECLOSED;
    }
    return netdev_caller() == owner ? CMRX_OK : owner < 0 ? NETDEV_ECLOSED : CMRX_EPERM;
}

static int open_method(struct netdev *self, struct netdev_info *info)
{
    (void)self;
    if (netdev_buffer(info, sizeof(*info)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    if (!ready) {
        return NETDEV_ENODEV;
    }
    int caller = netdev_caller();
    /* The owner keeps the device while it lives (restarts included). */
    if (owner >= 0 && owner != caller &&
        cmrx_process_control((unsigned)owner, CMRX_PROC_STATE) != CMRX_PROC_KILLED) {
        return CMRX_EPERM;
    }
    owner = caller;
    uint32_t bsr = 0;
    if (lock(&tx_lock) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    int rc = phy_read(PHY_BSR, &bsr);
    cmrx_svc_mutex_unlock(&tx_lock);
    memcpy(info->mac, mac, sizeof(mac));
    info->mtu = NETDEV_MTU;
    info->link = rc == CMRX_OK && (bsr & PHY_BSR_LINK) != 0;
    info->epoch = (uint32_t)cmrx_process_restarts((unsigned)cmrx_process_self());
    return CMRX_OK;
}

/* Put one frame into the TX FIFO, waiting (a second at most) for room.
 * Called with tx_lock; the frame is checked and in the caller's memory.
 * CMRX_EKILLED: the caller is dying, tx_lock is no longer held. */
static int tx_put(const uint8_t *p, uint32_t len)
{
    /* Command words and the data, rounded up to whole words. */
    uint32_t need = 8u + ((len + 3u) & ~3u);
    uint32_t start = cmrx_time_us();
    while (TX_FIFO_INF_TDFREE(REG(TX_FIFO_INF)) < need) {
        if (cmrx_time_us() - start > SEND_TIMEOUT_US) {
            stats.tx_errors++;
            return CMRX_ETIMEDOUT;
        }
        cmrx_svc_mutex_unlock(&tx_lock);
        cmrx_usleep(0);
        if (lock(&tx_lock) != CMRX_OK) {
            return CMRX_EKILLED;
        }
    }
    REG(TX_DATA_FIFO) = TX_CMD_A_FIRST | TX_CMD_A_LAST | len;
    REG(TX_DATA_FIFO) = (stats.tx_frames << 16) | len;
    uint32_t words = len / 4u;
    if (((uintptr_t)p & 3u) == 0) {
        const uint32_t *w = (const uint32_t *)(const void *)p;
        for (uint32_t i = 0; i < words; i++) {
            REG(TX_DATA_FIFO) = w[i];
        }
    } else {
        for (uint32_t i = 0; i < words; i++) {
            uint32_t w;
            memcpy(&w, p + 4u * i, 4);
            REG(TX_DATA_FIFO) = w;
        }
    }
    /* The last bytes, without reading past the caller's frame. */
    uint32_t tail = 0;
    for (uint32_t i = 4u * words; i < len; i++) {
        tail |= (uint32_t)p[i] << (8u * (i - 4u * words));
    }
    if (len % 4u != 0) {
        REG(TX_DATA_FIFO) = tail;
    }
    stats.tx_frames++;
    stats.tx_bytes += len;
    return CMRX_OK;
}

static bool frame_len_ok(uint32_t len)
{
    return len >= NETDEV_FRAME_MIN && len <= NETDEV_MTU + NETDEV_FRAME_MIN;
}

static int send_method(struct netdev *self, const void *frame, uint32_t len)
{
    (void)self;
    int rc = check_owner();
    if (rc != CMRX_OK) {
        return rc;
    }
    if (!frame_len_ok(len)) {
        return CMRX_EINVAL;
    }
    if (netdev_buffer(frame, len) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    if (lock(&tx_lock) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    rc = tx_put(frame, len);
    if (rc != CMRX_EKILLED) {
        cmrx_svc_mutex_unlock(&tx_lock);
    }
    return rc;
}

static int send_batch_method(struct netdev *self, const void *buf, uint32_t len)
{
    (void)self;
    int rc = check_owner();
    if (rc != CMRX_OK) {
        return rc;
    }
    if (len < 4u + NETDEV_FRAME_MIN || ((uintptr_t)buf & 3u) != 0) {
        return CMRX_EINVAL;
    }
    if (netdev_buffer(buf, len) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    /* Each length is read once, from the caller's memory, and checked
     * against what is left before its frame is touched. */
    const uint8_t *at = buf, *end = at + len;
    if (lock(&tx_lock) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    while (rc == CMRX_OK && at < end) {
        uint32_t n = 0;
        if (end - at >= 4) {
            n = *(const volatile uint32_t *)(const void *)at;
        }
        if (!frame_len_ok(n) || (uint32_t)(end - at) - 4u < ((n + 3u) & ~3u)) {
            rc = CMRX_EINVAL;
        } else {
            rc = tx_put(at + 4, n);
            at += 4u + ((n + 3u) & ~3u);
        }
    }
    if (rc != CMRX_EKILLED) {
        cmrx_svc_mutex_unlock(&tx_lock);
    }
    return rc;
}

/* Take the next frame out of the RX FIFO into @p buf. Called with rx_lock.
 * @return its length, 0 if it was dropped, -1 if no frame is there. */
static int rx_take(uint8_t *buf)
{
    if (RX_FIFO_INF_RXSUSED(REG(RX_FIFO_INF)) == 0) {
        return -1;
    }
    uint32_t status = REG(RX_STATUS_FIFO);
    uint32_t len = RX_STS_LENGTH(status); /* with the 4-byte FCS */
    uint32_t words = (len + 3u) / 4u;
    if ((status & RX_STS_ES) != 0 || len < NETDEV_FRAME_MIN + 4u || len > NETDEV_FRAME_MAX) {
        /* Damaged or too long: skip its words. */
        stats.rx_errors++;
        for (uint32_t i = 0; i < words; i++) {
            (void)REG(RX_DATA_FIFO);
        }
        return 0;
    }
    uint32_t *w = (uint32_t *)(void *)buf;
    for (uint32_t i = 0; i < words; i++) {
        w[i] = REG(RX_DATA_FIFO);
    }
    stats.rx_frames++;
    stats.rx_bytes += len - 4u;
    return (int)(len - 4u);
}

/* Frames into @p buf, @p batch: as recv_batch() lays them out, else one
 * bare frame. @return the bytes used, or 0 if no frame is there. Called with
 * rx_lock. */
static uint32_t rx_fill(uint8_t *buf, uint32_t cap, bool batch)
{
    uint32_t used = 0;
    while (cap - used >= (batch ? NETDEV_BATCH_ENTRY : NETDEV_FRAME_MAX)) {
        uint8_t *at = buf + used + (batch ? 4u : 0u);
        int n;
        do {
            n = rx_take(at);
        } while (n == 0);
        if (n < 0) {
            break; /* the FIFO is empty */
        }
        if (!batch) {
            return (uint32_t)n;
        }
        *(uint32_t *)(void *)(buf + used) = (uint32_t)n;
        used += 4u + (((uint32_t)n + 3u) & ~3u);
    }
    return used;
}

static int receive(void *frame, uint32_t cap, uint32_t timeout_us, bool batch)
{
    int rc = check_owner();
    if (rc != CMRX_OK) {
        return rc;
    }
    /* Whole words of the largest frame, FCS included, land in the buffer. */
    uint32_t least = batch ? NETDEV_BATCH_ENTRY : NETDEV_FRAME_MAX;
    if (cap < least || ((uintptr_t)frame & 3u) != 0) {
        return CMRX_EINVAL;
    }
    cap = batch ? cap & ~3u : NETDEV_FRAME_MAX;
    if (netdev_buffer(frame, cap) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    uint32_t start = cmrx_time_us();
    for (;;) {
        uint32_t seen = rx_seq;
        if (lock(&rx_lock) != CMRX_OK) {
            return CMRX_EKILLED;
        }
        uint32_t n = rx_fill(frame, cap, batch);
        cmrx_svc_mutex_unlock(&rx_lock);
        if (n > 0) {
            return (int)n;
        }
        uint32_t spent = cmrx_time_us() - start;
        if (timeout_us != CMRX_FOREVER && spent >= timeout_us) {
            return CMRX_ETIMEDOUT;
        }
        rc = cmrx_wait(&rx_seq, seen,
                       timeout_us == CMRX_FOREVER ? CMRX_FOREVER : timeout_us - spent);
        if (rc == CMRX_EKILLED) {
            return rc; /* the caller's process is gone: return at once */
        }
    }
}

static int recv_method(struct netdev *self, void *frame, uint32_t cap, uint32_t timeout_us)
{
    (void)self;
    return receive(frame, cap, timeout_us, false);
}

static int recv_batch_method(struct netdev *self, void *buf, uint32_t cap, uint32_t timeout_us)
{
    (void)self;
    return receive(buf, cap, timeout_us, true);
}

static int stats_method(struct netdev *self, struct netdev_stats *out)
{
    (void)self;
    if (netdev_buffer(out, sizeof(*out)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    memcpy(out, &stats, sizeof(stats));
    return CMRX_OK;
}

CMRX_VTABLE(struct netdev_vtable, lan9118_vtable) = {
    open_method, send_method, recv_method, recv_batch_method, stats_method, send_batch_method};
CMRX_EXPORT struct netdev LAN9118_OBJECT = {&lan9118_vtable};

#ifdef LAN9118_TEST_HOOKS
/* Tests only (tests/net): a call that faults inside the driver, as a bug
 * would, to show that the system outlives it. */
struct lan9118_fault;
struct lan9118_fault_vtable {
    int (*fault)(struct lan9118_fault *self);
};
struct lan9118_fault {
    const struct lan9118_fault_vtable *vtable;
};
static int fault_method(struct lan9118_fault *self)
{
    (void)self;
    __builtin_trap();
}
CMRX_VTABLE(struct lan9118_fault_vtable, lan9118_fault_vt) = {fault_method};
CMRX_EXPORT struct lan9118_fault lan9118_fault = {&lan9118_fault_vt};
#endif

/* ---- the interrupt thread ------------------------------------------------------ */

static int driver_main(void *arg)
{
    (void)arg;
    if (device_start() != CMRX_OK) {
        return NETDEV_ENODEV; /* open() says NETDEV_ENODEV from now on */
    }
    ready = 1;
    for (;;) {
        int rc = cmrx_irq_wait(LAN9118_IRQ, CMRX_FOREVER);
        if (rc != CMRX_OK && rc != CMRX_EINTR) {
            cmrx_printf("lan9118: cannot wait for IRQ %u (%d)\n", (unsigned)LAN9118_IRQ, rc);
            return rc;
        }
        uint32_t sts = REG(INT_STS);
        REG(INT_STS) = sts; /* write 1 to clear */
        if ((sts & INT_RXDF) != 0) {
            stats.rx_dropped++;
        }
        rx_seq++;
        cmrx_notify(&rx_seq, WAKE_ALL);
    }
}

/* Its priority is the process's; a build that links the driver into
 * another process (NETDEV_DIRECT) gives it its own. */
#ifndef LAN9118_THREAD_PRIORITY
#define LAN9118_THREAD_PRIORITY CMRX_PRIO_PROCESS_DEFAULT
#endif
CMRX_THREAD_PRIO(driver_main, NULL, LAN9118_THREAD_PRIORITY);
