/* Included before littlefs's sources (-include): what littlefs leaves to
 * its port. A failed assertion is a fault of the fs process (its policy
 * restarts it), never a call into the C library's stdio, which no process
 * may use. */
#ifndef FS_LFS_PORT_H
#define FS_LFS_PORT_H

#define LFS_ASSERT(test) ((test) ? (void)0 : __builtin_trap())

#endif
