/*
 * Smoke test of the C interface: the version, one offline call, and one ARM call through an
 * operation, against the endpoint of a client configuration file.
 *
 * Usage: aibperm_smoke <client-config.json> <subscription-id>
 * Exit 0 when every step succeeded; each step prints one line to stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/aibperm.h"
#include "aibperm_smoke_util.h"

#define WAIT_SLICE_MS 100
#define MAX_WAITS 1200 /* two minutes in short polls */

static int offline_call(void)
{
    static const char request[] =
        "{\"scenario\": \"ImageCreation\","
        " \"subscriptionId\": \"00000000-0000-0000-0000-00000000aaaa\","
        " \"resourceGroupName\": \"imageRG\"}";
    uint8_t *role = NULL;
    size_t role_len = 0;
    aibperm_error *error = NULL;
    aibperm_status status;
    int ok;

    status = aibperm_role_generate((const uint8_t *)request, strlen(request), &role, &role_len,
                                   &error);
    if (status != AIBPERM_STATUS_OK) {
        smoke_report("aibperm_role_generate", status, error);
        return 0;
    }
    ok = smoke_contains(role, role_len, "\"roleType\":\"CustomRole\"") &&
         smoke_contains(role, role_len, "Microsoft.Compute/galleries/images/versions/write");
    printf("offline: %s role of %u bytes\n", ok ? "ok" : "unexpected", (unsigned)role_len);
    aibperm_buffer_free(role, role_len);
    return ok;
}

/* Runs one operation to its end in short waits; returns 1 and prints its result on success. */
static int run_operation(aibperm_client *client, const char *name, const char *request,
                         const char *expect)
{
    aibperm_operation *op = NULL;
    aibperm_error *error = NULL;
    aibperm_status status;
    uint8_t *result = NULL;
    size_t result_len = 0;
    int waits = 0;
    int ok;

    status = aibperm_operation_start(client, (const uint8_t *)name, strlen(name),
                                     (const uint8_t *)request, strlen(request), &op, &error);
    if (status != AIBPERM_STATUS_OK) {
        smoke_report("aibperm_operation_start", status, error);
        return 0;
    }
    while ((status = aibperm_operation_wait(op, WAIT_SLICE_MS)) == AIBPERM_STATUS_PENDING) {
        uint8_t *progress = NULL;
        size_t progress_len = 0;

        if (++waits > MAX_WAITS) {
            fprintf(stderr, "%s did not finish; cancelling\n", name);
            aibperm_operation_cancel(op);
            break;
        }
        if (aibperm_operation_progress(op, &progress, &progress_len) == AIBPERM_STATUS_OK) {
            aibperm_buffer_free(progress, progress_len);
        }
    }
    status = aibperm_operation_result(op, &result, &result_len, &error);
    aibperm_operation_free(op);
    if (status != AIBPERM_STATUS_OK) {
        smoke_report(name, status, error);
        return 0;
    }
    ok = smoke_contains(result, result_len, expect);
    printf("%s: %s %.*s\n", name, ok ? "ok" : "unexpected", (int)result_len,
           (const char *)result);
    aibperm_buffer_free(result, result_len);
    return ok;
}

static int count_lines(const uint8_t *data, size_t len)
{
    size_t i;
    int n = 0;

    for (i = 0; i < len; i++) {
        n += data[i] == '\n';
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *version = aibperm_version();
    aibperm_client *client = NULL;
    aibperm_error *error = NULL;
    aibperm_status status;
    uint8_t *config;
    size_t config_len = 0;
    uint8_t *log = NULL;
    size_t log_len = 0;
    char request[512];
    int ok;

    if (argc != 3) {
        fprintf(stderr, "usage: %s <client-config.json> <subscription-id>\n", argv[0]);
        return 2;
    }
    printf("version: %s\n", version);
    if (strcmp(version, AIBPERM_VERSION) != 0) {
        fprintf(stderr, "library %s does not match header %s\n", version, AIBPERM_VERSION);
        return 1;
    }
    if (!offline_call()) {
        return 1;
    }

    config = smoke_read_file(argv[1], &config_len);
    if (config == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    status = aibperm_client_new(config, config_len, &client, &error);
    free(config);
    if (status != AIBPERM_STATUS_OK) {
        smoke_report("aibperm_client_new", status, error);
        return 1;
    }

    snprintf(request, sizeof request,
             "{\"subscriptionId\": \"%s\", \"resourceGroupName\": \"smokeRG\","
             " \"location\": \"westus2\"}",
             argv[2]);
    ok = run_operation(client, "resourceGroup.createOrUpdate", request, "\"name\":\"smokeRG\"");
    if (ok) {
        snprintf(request, sizeof request,
                 "{\"subscriptionId\": \"%s\", \"resourceGroupName\": \"smokeRG\","
                 " \"name\": \"smokeIdentity\"}",
                 argv[2]);
        ok = run_operation(client, "identity.createOrUpdate", request, "\"principalId\"");
    }

    if (aibperm_client_take_log(client, &log, &log_len) == AIBPERM_STATUS_OK) {
        printf("log: %d records\n", count_lines(log, log_len));
        aibperm_buffer_free(log, log_len);
    }
    aibperm_client_free(client);
    return ok ? 0 : 1;
}
