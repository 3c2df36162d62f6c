/* Second translation unit of the smoke program: error reporting and small helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/aibperm.h"
#include "aibperm_smoke_util.h"

void smoke_report(const char *what, aibperm_status status, aibperm_error *error)
{
    uint8_t *json = NULL;
    size_t json_len = 0;

    fprintf(stderr, "%s failed: status %u\n", what, (unsigned)status);
    if (error == NULL) {
        return;
    }
    if (aibperm_error_json(error, &json, &json_len) == AIBPERM_STATUS_OK) {
        fprintf(stderr, "%.*s\n", (int)json_len, (const char *)json);
        aibperm_buffer_free(json, json_len);
    }
    aibperm_error_free(error);
}

int smoke_contains(const uint8_t *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    size_t i;

    if (n == 0 || len < n) {
        return n == 0;
    }
    for (i = 0; i + n <= len; i++) {
        if (memcmp(data + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

uint8_t *smoke_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = malloc((size_t)size + 1);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data != NULL) {
        *len_out = (size_t)size;
    }
    return data;
}
