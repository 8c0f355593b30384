/* The updater's framed protocol on a UART (docs/updating.md): what
 * `cmrx deploy` on the host and the updater process on the board say to
 * each other. One home for both: the host tool compiles wire.c too.
 *
 * A frame is
 *     'C' 'U' | type | seq | len (2 bytes) | payload (len bytes) | CRC-32 (4 bytes)
 * with numbers little-endian and the CRC-32 (IEEE 802.3) over type, seq,
 * len and payload. The host sends one request and waits for its reply,
 * resending it after a timeout; the board answers a request it already
 * answered (same seq and type) with the same reply, without doing it
 * again, so that a lost reply never commits twice. Bytes outside a frame
 * and frames whose CRC fails are skipped (a bad frame is answered with
 * UPW_BADFRAME so that the host resends at once).
 */
#ifndef UPDATER_WIRE_H
#define UPDATER_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define UPW_SYNC0 0x43u /* 'C' */
#define UPW_SYNC1 0x55u /* 'U' */
#define UPW_HEAD  6u    /* sync, type, seq, len */
#define UPW_TAIL  4u    /* CRC-32 */

/** Bytes an UPW_WRITE carries at most (after its offset). */
#define UPW_CHUNK 256u
/** The longest payload of any frame. */
#define UPW_PAYLOAD_MAX (4u + UPW_CHUNK)
/** The longest frame. */
#define UPW_FRAME_MAX (UPW_HEAD + UPW_PAYLOAD_MAX + UPW_TAIL)

/* Requests (host to board). */
#define UPW_HELLO  0x01u /**< payload: a process name (1..15 bytes); reply: UPW_INFO */
#define UPW_WRITE  0x02u /**< payload: offset (4) | bytes; reply: status | offset */
#define UPW_COMMIT 0x03u /**< payload: flags (4, CMRX_UPDATE_FORCE); reply: status | why */
/* Replies (board to host): the request's type with UPW_REPLY, its seq. */
#define UPW_REPLY    0x80u
#define UPW_BADFRAME 0xFFu /**< a frame came damaged: resend (no payload; seq 0) */

/* Statuses of replies besides the kernel's (cmrx/errno.h: CMRX_EPERM,
 * CMRX_EBADIMAGE, ...), in a range of their own. */
#define UPW_ENOPROCESS    -200 /**< the firmware has no process of that name */
#define UPW_ENOTUPDATABLE -201 /**< the process is not updatable */
#define UPW_ENOTCHOSEN    -202 /**< a write or commit before a HELLO chose a process */
#define UPW_EREQUEST      -203 /**< a request the updater does not know, or of a bad size */

/** The payload of the reply to UPW_HELLO (status first, as every reply). */
struct upw_info {
    int32_t status;     /**< CMRX_OK, or why the process cannot be updated */
    uint32_t version;   /**< of the image it runs */
    uint32_t slot_size; /**< bytes of each of its slots */
    uint8_t slot;       /**< the slot it runs from: 0 (A) or 1 (B) */
    uint8_t busy;       /**< an image of it is being verified or switched to */
    uint8_t reserved[2];
    char board[32]; /**< the firmware's board and CPU */
    char cpu[16];
};
#define UPW_INFO_SIZE 64u
_Static_assert(sizeof(struct upw_info) == UPW_INFO_SIZE, "struct upw_info is the wire layout");

/** Where a frame parser is. */
struct upw_parser {
    uint32_t got;  /**< bytes of the current frame so far (0: looking for sync) */
    uint32_t len;  /**< its payload length, once known */
    uint8_t type, seq;
    uint8_t buf[UPW_FRAME_MAX];
};

/** What upw_feed() found. */
enum upw_event {
    UPW_MORE = 0, /**< nothing yet */
    UPW_FRAME,    /**< a whole frame: type, seq, upw_payload() and len */
    UPW_DAMAGED,  /**< a frame whose CRC or length was wrong (skipped) */
};

/** CRC-32 (IEEE 802.3, reflected) of @p len bytes, continuing @p crc (0 to start). */
uint32_t upw_crc32(uint32_t crc, const void *buf, size_t len);

/** Forget any partial frame. */
void upw_reset(struct upw_parser *p);

/** Feed one received byte. @return what it completed. */
enum upw_event upw_feed(struct upw_parser *p, uint8_t c);

/** The payload of the frame upw_feed() just completed (p->len bytes). */
const uint8_t *upw_payload(const struct upw_parser *p);

/**
 * Write a frame of @p type and @p seq with @p len bytes of @p payload into
 * @p out (UPW_HEAD + len + UPW_TAIL bytes). @return its size, or 0 if
 * @p len is beyond UPW_PAYLOAD_MAX.
 */
size_t upw_encode(uint8_t *out, uint8_t type, uint8_t seq, const void *payload, size_t len);

/** Little-endian 32-bit number at @p b. */
uint32_t upw_get32(const uint8_t *b);

/** Store @p v little-endian at @p b. */
void upw_put32(uint8_t *b, uint32_t v);

#endif
