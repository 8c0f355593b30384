/* The updater's frames (updater_wire.h): built by the board's updater
 * process and by `cmrx deploy` alike. */
#include "updater_wire.h"

#include <string.h>

uint32_t upw_crc32(uint32_t crc, const void *buf, size_t len)
{
    /* Bitwise: no table, so the updater stays small; it runs at UART speed. */
    const uint8_t *b = buf;
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= b[i];
        for (unsigned k = 0; k < 8u; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

uint32_t upw_get32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

void upw_put32(uint8_t *b, uint32_t v)
{
    for (unsigned i = 0; i < 4u; i++) {
        b[i] = (uint8_t)(v >> (8u * i));
    }
}

void upw_reset(struct upw_parser *p)
{
    p->got = 0;
    p->len = 0;
}

enum upw_event upw_feed(struct upw_parser *p, uint8_t c)
{
    if (p->got == 0 && c != UPW_SYNC0) {
        return UPW_MORE; /* between frames */
    }
    if (p->got == 1 && c != UPW_SYNC1) {
        p->got = c == UPW_SYNC0 ? 1u : 0u; /* 'C' 'C' 'U' still syncs */
        return UPW_MORE;
    }
    p->buf[p->got++] = c;
    if (p->got == UPW_HEAD) {
        p->len = (uint32_t)p->buf[4] | (uint32_t)p->buf[5] << 8;
        if (p->len > UPW_PAYLOAD_MAX) {
            upw_reset(p);
            return UPW_DAMAGED;
        }
    }
    if (p->got < UPW_HEAD || p->got < UPW_HEAD + p->len + UPW_TAIL) {
        return UPW_MORE;
    }
    uint32_t crc = upw_crc32(0, p->buf + 2, UPW_HEAD - 2u + p->len);
    uint32_t want = upw_get32(p->buf + UPW_HEAD + p->len);
    p->type = p->buf[2];
    p->seq = p->buf[3];
    p->got = 0;
    return crc == want ? UPW_FRAME : UPW_DAMAGED;
}

const uint8_t *upw_payload(const struct upw_parser *p)
{
    return p->buf + UPW_HEAD;
}

size_t upw_encode(uint8_t *out, uint8_t type, uint8_t seq, const void *payload, size_t len)
{
    if (len > UPW_PAYLOAD_MAX) {
        return 0;
    }
    out[0] = UPW_SYNC0;
    out[1] = UPW_SYNC1;
    out[2] = type;
    out[3] = seq;
    out[4] = (uint8_t)len;
    out[5] = (uint8_t)(len >> 8);
    if (len > 0) {
        memcpy(out + UPW_HEAD, payload, len);
    }
    upw_put32(out + UPW_HEAD + len, upw_crc32(0, out + 2, UPW_HEAD - 2u + len));
    return UPW_HEAD + len + UPW_TAIL;
}
