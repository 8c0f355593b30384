/* A test component's client library: a counter with state in the process
 * that links it. */
#ifndef CMRX_TEST_COUNTER_CLIENT_H
#define CMRX_TEST_COUNTER_CLIENT_H

/** Count one more. @return the count in this process. */
int counter_bump(void);

#endif
