/* Test helper: variants of a text made by replacing one part of it. */
#ifndef CMRX_TEST_TEXT_H
#define CMRX_TEST_TEXT_H

/**
 * @return a new copy of @p s with the first @p from replaced by @p to; the
 * test fails if @p from does not occur.
 */
char *text_replace(const char *s, const char *from, const char *to);

#endif
