/* The updater process: receives process images over a UART in the framed
 * protocol of updater_wire.h, stages them with cmrx_update_write() into
 * the slot their process does not run from, and commits them (the kernel
 * verifies; docs/updating.md). Declared UPDATER: the only right it has
 * besides its UART.
 *
 * One thread serves the UART's receive interrupt and answers each request
 * before the next is read (the host waits for each reply), so a commit,
 * which waits while the kernel verifies the image, simply holds the line.
 * A transfer that stops (no frame for UPDATER_IDLE_US) is dropped: nothing
 * is committed, the running version stays.
 */
#include <string.h>

#include <cmrx/cmrx.h>
#include <cmrx/update.h>

#include "uart_hw.h"
#include "updater_wire.h"

/* A frame stalled this long is abandoned; a transfer silent this long is over. */
#define FRAME_IDLE_US   500000u
#define UPDATER_IDLE_US 3000000u

static const unsigned irqs[] = {UART_IRQS};

static struct upw_parser rx;
static uint8_t tx[UPW_FRAME_MAX];
static size_t tx_len;      /* the last reply, sent again for a repeated request */
static uint8_t last_type;  /* its request's type and seq; type 0: none yet */
static uint8_t last_seq;
static int target = -1;    /* the process a HELLO chose */
static char target_name[16];
static uint32_t staged;    /* bytes of the image written so far (its end) */

static void send(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (!uart_hw_tx_room()) {
            cmrx_thread_yield();
        }
        uart_hw_tx(b[i]);
    }
}

/* Answer request (type, seq) with status and @p more bytes, and keep it. */
static void reply(uint8_t type, uint8_t seq, int32_t status, const void *more, size_t n)
{
    uint8_t p[UPW_PAYLOAD_MAX];
    upw_put32(p, (uint32_t)status);
    if (n > 0) {
        memcpy(p + 4, more, n);
    }
    tx_len = upw_encode(tx, (uint8_t)(UPW_REPLY | type), seq, p, 4u + n);
    last_type = type;
    last_seq = seq;
    send(tx, tx_len);
}

static int32_t find(const uint8_t *name, uint32_t len, struct cmrx_update_info *info)
{
    if (len == 0 || len >= sizeof(info->name)) {
        return UPW_EREQUEST;
    }
    for (unsigned pid = 0;; pid++) {
        int rc = cmrx_update_info(pid, info);
        if (rc != CMRX_OK) {
            return rc == CMRX_EINVAL ? UPW_ENOPROCESS : rc;
        }
        if (memcmp(info->name, name, len) == 0 && info->name[len] == '\0') {
            return info->slot_size == 0 ? UPW_ENOTUPDATABLE : (int32_t)pid;
        }
    }
}

static void hello(uint8_t seq, const uint8_t *p, uint32_t len)
{
    struct cmrx_update_info info;
    struct upw_info out;
    memset(&out, 0, sizeof(out));
    int32_t rc = find(p, len, &info);
    if (rc >= 0) {
        target = (int)rc;
        memcpy(target_name, info.name, sizeof(target_name));
        staged = 0;
        out.version = info.version;
        out.slot_size = info.slot_size;
        out.slot = info.slot;
        out.busy = info.busy;
        cmrx_printf("updater: receiving an image of %s (version %lu runs from slot %c)\n",
                    target_name, (unsigned long)info.version, info.slot ? 'B' : 'A');
        rc = CMRX_OK;
    }
    out.status = rc;
    strncpy(out.board, CMRX_BOARD, sizeof(out.board) - 1u);
    strncpy(out.cpu, CMRX_BOARD_CPU, sizeof(out.cpu) - 1u);
    reply(UPW_HELLO, seq, rc, (const uint8_t *)&out + 4, sizeof(out) - 4u);
}

static void write_chunk(uint8_t seq, const uint8_t *p, uint32_t len)
{
    int32_t rc = target < 0 ? UPW_ENOTCHOSEN : len < 5u ? UPW_EREQUEST : CMRX_OK;
    uint32_t off = len >= 4u ? upw_get32(p) : 0;
    if (rc == CMRX_OK) {
        rc = cmrx_update_write((unsigned)target, off, p + 4, len - 4u);
    }
    if (rc == CMRX_OK && off + (len - 4u) > staged) {
        staged = off + (len - 4u);
    }
    uint8_t echo[4];
    upw_put32(echo, off);
    reply(UPW_WRITE, seq, rc, echo, sizeof(echo));
}

static void commit(uint8_t seq, const uint8_t *p, uint32_t len)
{
    int32_t rc = target < 0 ? UPW_ENOTCHOSEN : len != 4u ? UPW_EREQUEST : CMRX_OK;
    struct cmrx_update_info info;
    const char *why = "";
    if (rc == CMRX_OK) {
        rc = cmrx_update_commit((unsigned)target, upw_get32(p));
        if (rc != CMRX_OK && cmrx_update_info((unsigned)target, &info) == CMRX_OK) {
            info.refusal[sizeof(info.refusal) - 1u] = '\0';
            why = info.refusal;
        }
        cmrx_printf("updater: %s: %s (%lu bytes received)\n", target_name,
                    rc == CMRX_OK ? "committed" : "refused", (unsigned long)staged);
        target = -1; /* a new transfer starts with a HELLO */
    }
    reply(UPW_COMMIT, seq, rc, why, strlen(why));
}

static void serve(void)
{
    uint8_t type = rx.type, seq = rx.seq;
    const uint8_t *p = upw_payload(&rx);
    if (type == last_type && seq == last_seq && tx_len > 0) {
        send(tx, tx_len); /* its reply was lost: the same answer, not done twice */
        return;
    }
    switch (type) {
    case UPW_HELLO:
        hello(seq, p, rx.len);
        break;
    case UPW_WRITE:
        write_chunk(seq, p, rx.len);
        break;
    case UPW_COMMIT:
        commit(seq, p, rx.len);
        break;
    default:
        reply(type, seq, UPW_EREQUEST, NULL, 0);
        break;
    }
}

static int updater_main(void *arg)
{
    (void)arg;
    uart_hw_baud(UART_CLOCK_HZ, UART_BAUD);
    uart_hw_init();
    uint32_t last = cmrx_time_us();
    for (;;) {
        int rc = cmrx_irq_wait(irqs[0], FRAME_IDLE_US);
        if (rc != CMRX_OK && rc != CMRX_ETIMEDOUT && rc != CMRX_EINTR) {
            cmrx_printf("updater: cannot wait for IRQ %u (%d)\n", irqs[0], rc);
            return rc;
        }
        (void)uart_hw_ack();
        int c;
        while ((c = uart_hw_rx()) >= 0) {
            last = cmrx_time_us();
            enum upw_event ev = upw_feed(&rx, (uint8_t)c);
            if (ev == UPW_FRAME) {
                serve();
            } else if (ev == UPW_DAMAGED) {
                uint8_t nak[UPW_HEAD + UPW_TAIL];
                send(nak, upw_encode(nak, UPW_BADFRAME, 0, NULL, 0));
            }
        }
        uint32_t quiet = cmrx_time_us() - last;
        if (rx.got != 0 && quiet >= FRAME_IDLE_US) {
            upw_reset(&rx); /* a frame cut off: the host will send it again */
        }
        if (target >= 0 && quiet >= UPDATER_IDLE_US) {
            cmrx_printf("updater: the transfer of %s stopped after %lu bytes; nothing "
                        "switched\n",
                        target_name, (unsigned long)staged);
            target = -1;
            last_type = 0;
        }
    }
}

CMRX_THREAD(updater_main, NULL);
