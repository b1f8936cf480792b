/*
 * utf8.h - (internal) strict UTF-8 decoding shared by every reader and writer:
 * overlong forms, surrogates and code points beyond U+10FFFF are invalid.
 */
#ifndef POSTURE_UTF8_H
#define POSTURE_UTF8_H

#include <stddef.h>

/**
 * Decode one sequence of at most `n` (>= 1) bytes at `p`: the code point
 * with `*len` its length, or -1 with `*len` = 1 when the bytes are not
 * valid UTF-8.
 */
long utf8_decode(const unsigned char *p, size_t n, size_t *len);

/** Offset of the first invalid sequence in `s`, or `len` when all is valid. */
size_t utf8_invalid_at(const unsigned char *s, size_t len);

#endif
