/* fs lock tests (fs_lockwait, fs_lockstop): what the processes agree on.
 * FS_LOCK_STOP selects the second scenario. Times are ms since boot. */
#ifndef FS_LOCK_H
#define FS_LOCK_H

#define PID_ATTACKER 1 /* the order of the firmware's processes */

#define T_START    5u  /* the clients start their file work */
#define T_SPIN     10u /* the judge's busy thread starts: the client in fs is paused there */
#define T_BLOCK    12u /* the waiter's call (FS_LOCK_WAIT): blocks on the lock */
#define T_KILL     15u /* the attacker's process dies (its own fault, policy kill-process) */
#define T_PROBE    18u /* the judge calls fs while the paused client still holds its lock */
#define T_SPIN_END 60u /* the busy thread stops */

#define MS 1000u

static inline void sleep_until_ms(uint32_t ms)
{
    uint32_t now = cmrx_time_us();
    if (now < ms * MS) {
        cmrx_usleep(ms * MS - now);
    }
}

#endif
