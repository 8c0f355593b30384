/* What the fs tests write: self-checking records. */
#ifndef FS_TEST_H
#define FS_TEST_H

#include <stdint.h>

#define REC_MAGIC     0x52454331u /* "REC1" */
#define WRITER_SYNCED 10u

struct rec {
    uint32_t magic;
    uint32_t seq;
    uint32_t payload[5];
    uint32_t check;
};

static inline uint32_t rec_sum(const struct rec *r)
{
    uint32_t s = 0x811c9dc5u;
    const uint32_t *w = (const uint32_t *)r;
    for (unsigned i = 0; i < 7; i++) {
        s = (s ^ w[i]) * 16777619u;
    }
    return s;
}

static inline void rec_make(struct rec *r, uint32_t seq)
{
    r->magic = REC_MAGIC;
    r->seq = seq;
    for (unsigned i = 0; i < 5; i++) {
        r->payload[i] = seq * 2654435761u + i;
    }
    r->check = rec_sum(r);
}

static inline int rec_ok(const struct rec *r, uint32_t seq)
{
    return r->magic == REC_MAGIC && r->seq == seq && r->check == rec_sum(r);
}

#endif
