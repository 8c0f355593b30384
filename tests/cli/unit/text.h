/* Test helpers: variants of a text made by replacing one part of it, and
 * cmrx.yaml texts that must parse. */
#ifndef CMRX_TEST_TEXT_H
#define CMRX_TEST_TEXT_H

#include "manifest.h"

/**
 * @return a new copy of @p s with the first @p from replaced by @p to; the
 * test fails if @p from does not occur.
 */
char *text_replace(const char *s, const char *from, const char *to);

/** @return @p text parsed as cmrx.yaml; the test fails if it does not parse. */
struct manifest parse_ok(const char *text);

#endif
