/* The kept-directory attack (fs_keeper, fs_thief, fs_kjudge): what the
 * keeper keeps in its directory, and the public names they meet by. */
#ifndef FS_KEEP_H
#define FS_KEEP_H

#define KEEP_SECRET "the keeper's secret: 7d41c0ffee"
#define KEEP_A      "record a"
#define KEEP_B      "record b"

/* Public (nobody keeps "/"): the keeper's files are in place; the thief
 * has tried everything; the keeper, restarted, found them and was served. */
#define MARK_READY "/ready"
#define MARK_DONE  "/done"
#define MARK_OK    "/ok"

#endif
