/* The uart-console driver process: owns the console UART and serves
 * uart_console_service.
 *
 * One thread per interrupt line of the UART (CMSDK: receive and transmit;
 * STM32: one) waits for its line and serves the UART: received bytes go
 * into the receive ring (dropped and counted when it is full), bytes of the
 * transmit ring go to the transmitter while it takes them. The methods run
 * on the callers' threads: write() fills the transmit ring and starts the
 * transmitter, read() empties the receive ring, sleeping until bytes come.
 */
#include <string.h>

#include "uart_console.h"
#include "uart_hw.h"

#define RX_SIZE UART_CONSOLE_RX_SIZE
#define TX_SIZE UART_CONSOLE_TX_SIZE
_Static_assert((RX_SIZE & (RX_SIZE - 1u)) == 0 && (TX_SIZE & (TX_SIZE - 1u)) == 0,
               "ring sizes are powers of two: the free-running indices wrap with them");
_Static_assert(UART_CONSOLE_WRITE_MAX <= TX_SIZE, "a write fits the transmit ring");

#define WAKE_ALL 255u /* more than any firmware has threads */

static const unsigned irqs[] = {UART_IRQS};
#define N_IRQS (sizeof(irqs) / sizeof(irqs[0]))

/* Service mutexes: a caller stopped holding one (killed, then kept from
 * returning by busier threads) is found out, and the driver restarts. */
static cmrx_svc_mutex_t lock = CMRX_SVC_MUTEX_INIT;    /* the rings, the counters and the UART */
static cmrx_svc_mutex_t writers = CMRX_SVC_MUTEX_INIT; /* one write() at a time: writes never mix */

/* Take @p m: CMRX_OK, or CMRX_EKILLED (not taken: return at once). */
static int take(cmrx_svc_mutex_t *m)
{
    return cmrx_svc_mutex_lock_or_restart(m, "uart-console");
}

/* Rings with free-running indices: head - tail bytes are waiting. The
 * heads and tails are also the words waiters sleep on. */
static uint8_t rx_ring[RX_SIZE];
static volatile uint32_t rx_head, rx_tail;
static uint8_t tx_ring[TX_SIZE];
static volatile uint32_t tx_head, tx_tail;
static struct uart_console_stats stats;

/* Serve the UART. Called with the lock held. */
static void pump(void)
{
    stats.rx_errors += uart_hw_ack();
    uint32_t head = rx_head;
    int c;
    while ((c = uart_hw_rx()) >= 0) {
        stats.rx_bytes++;
        if (head - rx_tail < RX_SIZE) {
            rx_ring[head % RX_SIZE] = (uint8_t)c;
            head++;
        } else {
            stats.rx_dropped++;
        }
    }
    uint32_t tail = tx_tail;
    while (tail != tx_head && uart_hw_tx_room()) {
        uart_hw_tx(tx_ring[tail % TX_SIZE]);
        tail++;
        stats.tx_bytes++;
    }
    uart_hw_tx_irq(tail != tx_head);
    if (head != rx_head) {
        rx_head = head;
        cmrx_notify(&rx_head, WAKE_ALL);
    }
    if (tail != tx_tail) {
        tx_tail = tail;
        cmrx_notify(&tx_tail, WAKE_ALL);
    }
}

/* What is left of @p timeout_us since @p start: CMRX_FOREVER stays so. */
static uint32_t time_left(uint32_t start, uint32_t timeout_us)
{
    if (timeout_us == CMRX_FOREVER) {
        return CMRX_FOREVER;
    }
    uint32_t spent = cmrx_time_us() - start;
    return spent >= timeout_us ? 0 : timeout_us - spent;
}

/* Sleep until *word moves from @p seen, or the time is up. Called with
 * the lock held. @return CMRX_OK (it moved) or CMRX_ETIMEDOUT with the
 * lock held; CMRX_EKILLED without it: the caller's process was killed,
 * every wait now fails at once, and the method must leave (retrying would
 * spin until the kernel stops the thread, maybe holding the lock). */
static int wait_change(volatile uint32_t *word, uint32_t seen, uint32_t start, uint32_t timeout_us)
{
    cmrx_svc_mutex_unlock(&lock);
    uint32_t left = time_left(start, timeout_us);
    int rc = left == 0 ? CMRX_ETIMEDOUT : cmrx_wait(word, seen, left);
    if (rc == CMRX_EKILLED || take(&lock) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    return rc != CMRX_ETIMEDOUT || *word != seen ? CMRX_OK : CMRX_ETIMEDOUT;
}

static int console_write_method(struct uart_console *self, const void *buf, uint32_t len)
{
    (void)self;
    if (len > UART_CONSOLE_WRITE_MAX) {
        return UART_CONSOLE_E2BIG;
    }
    if (len == 0) {
        return 0;
    }
    if (cmrx_rpc_buffer(buf, len) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    const uint8_t *src = buf;
    int rc = take(&writers);
    if (rc != CMRX_OK) {
        return rc;
    }
    if ((rc = take(&lock)) != CMRX_OK) {
        cmrx_svc_mutex_unlock(&writers);
        return rc;
    }
    while (TX_SIZE - (tx_head - tx_tail) < len) {
        if (wait_change(&tx_tail, tx_tail, cmrx_time_us(), CMRX_FOREVER) == CMRX_EKILLED) {
            cmrx_svc_mutex_unlock(&writers);
            return CMRX_EKILLED;
        }
    }
    uint32_t head = tx_head;
    for (uint32_t i = 0; i < len; i++) {
        tx_ring[(head + i) % TX_SIZE] = src[i];
    }
    tx_head = head + len;
    pump();
    cmrx_svc_mutex_unlock(&lock);
    cmrx_svc_mutex_unlock(&writers);
    return (int)len;
}

/* The setting `readers` (component.cmake): who may take the input. The
 * input is for someone (a shell, a password): any process could read it
 * first, and that one would have it instead. */
static const char *const readers[] = {UART_CONSOLE_READERS NULL};

static int console_read_method(struct uart_console *self, void *buf, uint32_t len,
                               uint32_t timeout_us)
{
    (void)self;
    if (readers[0] != NULL && !cmrx_names_allow(readers, (unsigned)cmrx_rpc_caller())) {
        return CMRX_EPERM;
    }
    if (len == 0) {
        return 0;
    }
    if (cmrx_rpc_buffer(buf, len) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    uint32_t start = cmrx_time_us();
    uint8_t *dst = buf;
    int rc = take(&lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    while (rx_head == rx_tail) {
        if ((rc = wait_change(&rx_head, rx_head, start, timeout_us)) != CMRX_OK) {
            if (rc != CMRX_EKILLED) {
                cmrx_svc_mutex_unlock(&lock);
            }
            return rc;
        }
    }
    uint32_t n = rx_head - rx_tail;
    if (n > len) {
        n = len;
    }
    for (uint32_t i = 0; i < n; i++) {
        dst[i] = rx_ring[(rx_tail + i) % RX_SIZE];
    }
    rx_tail += n;
    cmrx_svc_mutex_unlock(&lock);
    return (int)n;
}

static int console_flush_method(struct uart_console *self, uint32_t timeout_us)
{
    (void)self;
    uint32_t start = cmrx_time_us();
    int rc = take(&lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    while (rc == CMRX_OK && tx_tail != tx_head) {
        rc = wait_change(&tx_tail, tx_tail, start, timeout_us);
    }
    if (rc == CMRX_EKILLED) {
        return rc;
    }
    /* The last byte may still be shifting out: the UART says when it is. */
    while (rc == CMRX_OK && !uart_hw_tx_idle()) {
        if (time_left(start, timeout_us) == 0) {
            rc = CMRX_ETIMEDOUT;
        }
        cmrx_svc_mutex_unlock(&lock);
        if (cmrx_usleep(0) == CMRX_EKILLED || take(&lock) != CMRX_OK) {
            return CMRX_EKILLED;
        }
    }
    cmrx_svc_mutex_unlock(&lock);
    return rc;
}

static int console_stats_method(struct uart_console *self, struct uart_console_stats *out)
{
    (void)self;
    if (cmrx_rpc_buffer(out, sizeof(*out)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    int rc = take(&lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    memcpy(out, &stats, sizeof(stats));
    cmrx_svc_mutex_unlock(&lock);
    return CMRX_OK;
}

CMRX_VTABLE(struct uart_console_vtable, uart_console_vtable) = {
    console_write_method, console_read_method, console_flush_method, console_stats_method};
CMRX_EXPORT struct uart_console uart_console_service = {&uart_console_vtable};

/* Serve interrupt line @p arg for good. */
static int irq_thread(void *arg)
{
    unsigned irq = (unsigned)(uintptr_t)arg;
    for (;;) {
        int rc = cmrx_irq_wait(irq, CMRX_FOREVER);
        if (rc != CMRX_OK && rc != CMRX_EINTR) {
            cmrx_printf("uart-console: cannot wait for IRQ %u (%d)\n", irq, rc);
            return rc;
        }
        if (take(&lock) == CMRX_OK) { /* it fails only for callers' threads */
            pump();
            cmrx_svc_mutex_unlock(&lock);
        }
    }
}

static int driver_main(void *arg)
{
    (void)arg;
    if (take(&lock) == CMRX_OK) {
        uart_hw_init();
        pump();
        cmrx_svc_mutex_unlock(&lock);
    }
    int prio = cmrx_thread_get_priority(cmrx_thread_self());
    for (unsigned i = 1; i < N_IRQS; i++) {
        if (cmrx_thread_create(irq_thread, (void *)(uintptr_t)irqs[i], (unsigned)prio) < 0) {
            cmrx_printf("uart-console: no thread for IRQ %u\n", irqs[i]);
        }
    }
    return irq_thread((void *)(uintptr_t)irqs[0]);
}

CMRX_THREAD(driver_main, NULL);
