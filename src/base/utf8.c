/* utf8.c - strict UTF-8 decoding (internal). */
#include "utf8.h"

long utf8_decode(const unsigned char *p, size_t n, size_t *len)
{
    *len = 1;
    unsigned c = p[0];
    if (c < 0x80)
        return (long)c;
    size_t need;
    unsigned long cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (n < need)
        return -1;
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = need;
    return (long)cp;
}

size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0, n;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        if (utf8_decode(s + i, len - i, &n) < 0)
            return i;
        i += n;
    }
    return len;
}
