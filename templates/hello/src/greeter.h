/* The greeting service of ${name}: what the greeter process offers to others. */
#ifndef GREETER_H
#define GREETER_H

/* The greeter writes its greetings into a buffer of the caller's .shared
 * memory, which the callee may use while the call is in flight. */
#define GREETING_MAX 64

#endif
