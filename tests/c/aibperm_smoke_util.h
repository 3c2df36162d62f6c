/*
 * Helpers of the smoke program, in a second translation unit that also includes aibperm.h,
 * so the header is proven to link from more than one file.
 */
#ifndef AIBPERM_SMOKE_UTIL_H
#define AIBPERM_SMOKE_UTIL_H

#include "../../include/aibperm.h"

/* Prints "<what> failed: <status> <error JSON>" to stderr and frees the error. */
void smoke_report(const char *what, aibperm_status status, aibperm_error *error);

/* Returns 1 when the len bytes at data contain needle, else 0. */
int smoke_contains(const uint8_t *data, size_t len, const char *needle);

/* Reads a whole file into a malloc'd buffer; returns NULL on failure. */
uint8_t *smoke_read_file(const char *path, size_t *len_out);

#endif /* AIBPERM_SMOKE_UTIL_H */
