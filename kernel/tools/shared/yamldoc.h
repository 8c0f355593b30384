/* The one reading layer of every file the SDK's host tools take in:
 * cmrx.yaml, cmrx.lock, template.yaml, bsp.yaml, the firmware description
 * of the CMake SDK (YAML) and the registry index (JSON, read as the JSON
 * subset of YAML). Loading with libyaml, reading mappings key by key
 * (unknown keys and wrong types are errors naming file:line and the key
 * path, with a hint), and emitting block-style YAML into a memory buffer.
 * Text must be UTF-8: other encodings are refused, and invalid UTF-8 is
 * reported where it is. */
#ifndef CMRX_SHARED_YAMLDOC_H
#define CMRX_SHARED_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "err.h"

struct ydoc {
    const char *path; /**< file name used in messages */
    bool json;        /**< a JSON file: strings must be quoted, hints speak of JSON */
    yaml_document_t doc;
};

/**
 * Parse @p len bytes of @p text (one document; NUL bytes are refused, the
 * text need not end in one). A syntax error names path:line:column. An
 * empty text gives an empty document (root NULL).
 * @return 0, or -1 with a message.
 */
int ydoc_load(struct ydoc *d, const char *path, const char *text, size_t len, struct err *e);

/** ydoc_load() for JSON text (the registry index). */
int ydoc_load_json(struct ydoc *d, const char *path, const char *text, size_t len, struct err *e);

/** Free a loaded document. */
void ydoc_free(struct ydoc *d);

/** @return the root node, or NULL for an empty document. */
yaml_node_t *ydoc_root(struct ydoc *d);

/** @return the 1-based line of @p n (1 for NULL). */
unsigned long ydoc_line(const yaml_node_t *n);

/** Set "path:line: message" for node @p n. @return -1. */
int ydoc_fail(struct ydoc *d, const yaml_node_t *n, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** @return the text of a scalar node, or NULL if @p n is not a scalar. */
const char *ydoc_scalar(const yaml_node_t *n);

/** Whether @p n is null: absent, "~", "null" or an empty plain scalar. */
bool ydoc_is_null(const yaml_node_t *n);

/** Handler of one key; @p obj is what ydoc_walk() was given. @return 0 or -1. */
typedef int (*ydoc_field_fn)(struct ydoc *d, yaml_node_t *value, const char *where, void *obj,
                             struct err *e);

struct ydoc_field {
    const char *key;
    bool required;
    ydoc_field_fn fn;
};

/**
 * Visit mapping @p map: every key must be one of @p f (else "unknown key",
 * listing the known ones), none twice, every required key present.
 * @p where names the mapping in messages ("" for the top level,
 * "processes[1]" for nested ones); handlers get "where.key".
 * @return 0 or -1.
 */
int ydoc_walk(struct ydoc *d, yaml_node_t *map, const char *where, const struct ydoc_field *f,
              size_t nf, void *obj, struct err *e);

/** A ydoc_field_fn @p fn reading key into string @p member of the object, a @p type. */
#define YDOC_STR_FIELD(fn, type, member)                                                           \
    static int fn(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)           \
    {                                                                                              \
        return ydoc_str(d, v, k, &((type *)o)->member, e);                                         \
    }

/** A ydoc_field_fn @p fn reading a number in [min, max] into uint32_t @p member. */
#define YDOC_U32_FIELD(fn, type, member, min, max)                                                 \
    static int fn(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)           \
    {                                                                                              \
        return ydoc_u32(d, v, k, min, max, &((type *)o)->member, e);                               \
    }

/** A ydoc_field_fn @p fn walking a nested mapping with the fields given after it. */
#define YDOC_MAP_FIELD(fn, ...)                                                                    \
    static int fn(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)           \
    {                                                                                              \
        static const struct ydoc_field f[] = {__VA_ARGS__};                                        \
        return ydoc_walk(d, v, k, f, sizeof(f) / sizeof(f[0]), o, e);                              \
    }

/** Read a non-empty string scalar into a new string. @return 0 or -1. */
int ydoc_str(struct ydoc *d, yaml_node_t *n, const char *where, char **out, struct err *e);

/**
 * Read an unsigned number (decimal or 0x hex, optional K or M suffix meaning
 * x1024) within [min, max]. @return 0 or -1.
 */
int ydoc_u32(struct ydoc *d, yaml_node_t *n, const char *where, uint32_t min, uint32_t max,
             uint32_t *out, struct err *e);

/**
 * Check that @p n is a sequence of @p min to @p max items, else fail saying
 * that '@p where' must be @p what ("a list of file names"), or that it has
 * more than @p max entries.
 * @return the number of items, or -1.
 */
long ydoc_seq(struct ydoc *d, yaml_node_t *n, const char *where, const char *what, size_t min,
              size_t max, struct err *e);

/** @return item @p i of sequence @p n. */
yaml_node_t *ydoc_item(struct ydoc *d, yaml_node_t *n, size_t i);

/** ydoc_walk() of item @p i of sequence @p n, named "where[i]". @return 0 or -1. */
int ydoc_walk_item(struct ydoc *d, yaml_node_t *n, size_t i, const char *where,
                   const struct ydoc_field *f, size_t nf, void *obj, struct err *e);

/** Read true/false (also yes/no). @return 0 or -1. */
int ydoc_bool(struct ydoc *d, yaml_node_t *n, const char *where, bool *out, struct err *e);

/** Read a sequence of non-empty strings into a new array. @return 0 or -1. */
int ydoc_str_list(struct ydoc *d, yaml_node_t *n, const char *where, char ***out, size_t *count,
                  struct err *e);

/** @return the node @p id of the document (a pair's key or value, a list item). */
yaml_node_t *ydoc_node(struct ydoc *d, int id);

/** Find the value of @p key in mapping @p map (NULL if absent); *key_out gets the key node. */
yaml_node_t *ydoc_map_get(struct ydoc *d, yaml_node_t *map, const char *key, yaml_node_t **key_out);

/** An emitter writing block-style YAML into memory. */
struct yemit {
    yaml_emitter_t em;
    char *buf;
    size_t len, cap;
    bool failed;
};

/** Start a document whose root is a mapping. */
void yemit_begin(struct yemit *y);
/** Start a mapping (@p flow: on one line, { a: 1 }). */
void yemit_map(struct yemit *y, bool flow);
/** Start a sequence (@p flow: on one line, [a, b]). */
void yemit_seq(struct yemit *y, bool flow);
/** End the innermost mapping. */
void yemit_map_end(struct yemit *y);
/** End the innermost sequence. */
void yemit_seq_end(struct yemit *y);
/** A scalar; libyaml quotes it when it would not read back as the same string. */
void yemit_str(struct yemit *y, const char *s);
/** A key and a string value. */
void yemit_kv(struct yemit *y, const char *key, const char *value);
/** A key and a list of strings on one line: key: [a, b]. */
void yemit_klist(struct yemit *y, const char *key, char *const *list, size_t n);
/** A key and a number value (decimal, or 0x-hex when @p hex). */
void yemit_ku(struct yemit *y, const char *key, uint32_t value, bool hex);
/**
 * End the root mapping and the document; hand over the text (with @p header,
 * e.g. comment lines, in front).
 * @return 0, or -1 if libyaml failed.
 */
int yemit_end(struct yemit *y, const char *header, char **out, size_t *len, struct err *e);

#endif
