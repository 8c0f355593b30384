/* ${name}: one reading in the log file, self-checking. */
#ifndef RECORD_H
#define RECORD_H

#include <stdint.h>

#define LOG_PATH    "/log.bin"
#define PER_RUN     5u     /* readings the sensor takes per run */
#define RECORD_SEAL 0x4c4f4752u

struct record {
    uint32_t seq;     /* 0, 1, 2, ... across runs */
    uint32_t time_ms; /* since this run's boot */
    int32_t value;    /* the reading, in milli-degrees */
    uint32_t seal;    /* RECORD_SEAL ^ seq ^ time_ms ^ value */
};

static inline uint32_t record_seal(const struct record *r)
{
    return RECORD_SEAL ^ r->seq ^ r->time_ms ^ (uint32_t)r->value;
}

#endif
