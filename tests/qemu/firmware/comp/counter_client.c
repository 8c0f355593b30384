#include "counter_client.h"

static int count; /* one per process that links the library */

int counter_bump(void)
{
    return ++count;
}
