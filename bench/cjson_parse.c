/*
 * cjson_parse.c - the floor of loading: read each file and parse it with
 * cJSON_ParseWithLength, nothing else (no validation, no model).
 *
 * usage: cjson_parse FILE...
 * Exit 1 when a file cannot be read or parsed. Prints the number of items
 * seen to stdout so that the work cannot be optimised away.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
            if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
            } else {
                buf[n] = '\0';
                *len = (size_t)n;
            }
        }
    }
    fclose(f);
    return buf;
}

static size_t count(const cJSON *v)
{
    size_t n = 1;
    for (const cJSON *c = v->child; c; c = c->next)
        n += count(c);
    return n;
}

int main(int argc, char **argv)
{
    size_t items = 0;
    for (int i = 1; i < argc; i++) {
        size_t len = 0;
        char *text = slurp(argv[i], &len);
        if (!text) {
            fprintf(stderr, "cjson_parse: %s: cannot read\n", argv[i]);
            return 1;
        }
        cJSON *root = cJSON_ParseWithLength(text, len);
        if (!root) {
            fprintf(stderr, "cjson_parse: %s: syntax error\n", argv[i]);
            free(text);
            return 1;
        }
        items += count(root);
        cJSON_Delete(root);
        free(text);
    }
    printf("%zu\n", items);
    return 0;
}
