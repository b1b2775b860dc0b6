/* Fuzz target for the configuration reader (src/app/config.c over
 * libconfig, with the routing rules and ui.keys it checks).
 *
 * The input is written to a file and loaded as the program loads
 * /etc/totemdesk/totemdesk.conf.  Besides "no crash, no sanitizer
 * report, nothing leaked": a refusal says "FILE:LINE: message" (the
 * path, a line number, a message), and a configuration that loads can
 * be freed and loaded again to the same result. */
#include "totemdesk/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_config: %s:%d: check failed: "  \
				"%s\n", __FILE__, __LINE__, #cond);            \
			abort();                                               \
		}                                                              \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/td-fuzz-config-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);

	struct td_config *cfg = calloc(1, sizeof *cfg);
	CHECK(cfg);
	td_err err = { 0 };
	int rc = td_config_load(path, cfg, &err);
	if (rc != TD_OK) {
		size_t n = strlen(path);
		CHECK(err.msg[0]);
		/* "PATH:LINE: message" (or "PATH: cannot read: ..."). */
		CHECK(strncmp(err.msg, path, n) == 0 && err.msg[n] == ':');
	} else {
		size_t nsites = cfg->nsites, nusers = cfg->nusers;
		td_config_free(cfg);
		td_err e2 = { 0 };
		CHECK(td_config_load(path, cfg, &e2) == TD_OK);
		CHECK(cfg->nsites == nsites && cfg->nusers == nusers);
		td_config_free(cfg);
	}
	free(cfg);
	unlink(path);
	return 0;
}
