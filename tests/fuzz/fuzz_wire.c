/* The updater's frame parser (components/updater/src/wire.c), as the board
 * and cmrx deploy run it on whatever a UART delivers: it never reads or
 * writes beyond its frame buffer, a frame it accepts has a payload within
 * the limit and a CRC that matches, and the frame re-encodes to the same
 * bytes. */
#include "fuzz.h"
#include "updater_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct upw_parser p;
    upw_reset(&p);
    for (size_t i = 0; i < size; i++) {
        if (upw_feed(&p, data[i]) != UPW_FRAME) {
            continue;
        }
        FUZZ_CHECK(p.len <= UPW_PAYLOAD_MAX);
        uint8_t again[UPW_FRAME_MAX];
        size_t n = upw_encode(again, p.type, p.seq, upw_payload(&p), p.len);
        FUZZ_CHECK(n == UPW_HEAD + p.len + UPW_TAIL && i + 1 >= n);
        FUZZ_CHECK(memcmp(again, data + i + 1 - n, n) == 0);
    }
    return 0;
}
