/* Publishing a package: from a tag of its git repository to its entry in a
 * registry index (`cmrx package`). The package folder is checked (a
 * component, a board or a template; a clean tree), the tag's content
 * checksum computed, and the index entry added or checked against what was
 * published before; an index inside a git repository is committed, so a
 * registry is published with one command and `git push`. */
#ifndef CMRX_CLI_PUBLISH_H
#define CMRX_CLI_PUBLISH_H

#include <stdbool.h>

#include "err.h"
#include "registry.h"

struct publish_opts {
    const char *dir;      /**< the package folder, in a git repository */
    const char *tag;      /**< the release: "1.2.0" or "v1.2.0"; made at HEAD if missing */
    const char *registry; /**< a registry folder or index file (not a URL) */
};

struct publish_result {
    char *name;
    char *version;
    enum pkg_kind kind;
    char *index;    /**< the index file written (or that already had it) */
    bool unchanged; /**< the index already held exactly this version */
    bool tagged;    /**< the tag was made */
    bool committed; /**< the index was committed in its repository */
};

/**
 * Publish: every check passes before anything is written; when the index
 * cannot be written, the tag made for it is deleted again.
 * @return 0 with @p r filled, or -1 with a message (nothing changed).
 */
int publish(const struct publish_opts *o, struct publish_result *r, struct err *e);

/** Free what publish() filled. */
void publish_result_free(struct publish_result *r);

#endif
