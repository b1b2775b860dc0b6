/* One desk saving intakes as fast as it can, for the reliability tests
 * (tests/reliability/test_backup.py): the same use case as the form's F2
 * (td_app_register), through the real configuration and database.
 *
 *     writer CONFIG SECONDS TAG
 *
 * Prints "ACK REFERENCE" and flushes after each save that returned --
 * the moment the form would show the reference to the receptionist: an
 * acknowledged save -- then "DONE saved=N busy=B failed=F wait=MS".  A save
 * refused because another desk held the database too long is counted as
 * busy (the form would show "another terminal is writing"), any other
 * failure as failed, and the run goes on; "wait=MS" is the longest a
 * save took (how close a desk came to the busy timeout).  TAG makes the names of this
 * writer's visitors its own.  Exit status 0 when nothing failed. */
#include "totemdesk/app.h"
#include "totemdesk/intake.h"
#include "totemdesk/privilege.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Letters only: names refuse digits. */
static void letters(unsigned long n, char *out, size_t outsz)
{
	size_t i = 0;
	do {
		if (i + 1 < outsz)
			out[i++] = (char)('a' + n % 26);
		n /= 26;
	} while (n);
	out[i] = '\0';
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct td_app_options o = { .need_user = true, .need_config = true };
	struct td_app *app = NULL;
	td_err err = { 0 };
	long saved = 0, busy = 0, failed = 0;
	double longest = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: writer CONFIG SECONDS TAG\n");
		return 2;
	}
	if (td_priv_startup(&err) != TD_OK) {
		fprintf(stderr, "writer: %s\n", err.msg);
		return 1;
	}
	o.config_path = argv[1];
	double end = now_s() + atof(argv[2]);
	if (td_app_open(&app, &o, &err) != TD_OK) {
		fprintf(stderr, "writer: %s\n", err.msg);
		return 1;
	}
	char tag[16];
	letters(strtoul(argv[3], NULL, 10), tag, sizeof tag);
	for (unsigned long i = 0; now_s() < end; i++) {
		struct td_intake in;
		char ref[TD_REF_SIZE], nm[16];
		memset(&in, 0, sizeof in);
		letters(i, nm, sizeof nm);
		snprintf(in.last_name, sizeof in.last_name, "Ecrivain%s", tag);
		snprintf(in.first_name, sizeof in.first_name, "Numero%s", nm);
		snprintf(in.email, sizeof in.email, "w%s.%lu@exemple.fr", tag, i);
		snprintf(in.title, sizeof in.title, "Projet %s", nm);
		in.needs = 1;
		in.consent = true;
		double t0 = now_s();
		int rc = td_app_register(app, &in, ref, NULL, &err);
		if (now_s() - t0 > longest)
			longest = now_s() - t0;
		if (rc == TD_OK) {
			printf("ACK %s\n", ref);
			fflush(stdout);
			saved++;
		} else if (rc == TD_EBUSY) {
			busy++;
			fprintf(stderr, "writer %s: %s\n", argv[3], err.msg);
		} else {
			failed++;
			fprintf(stderr, "writer %s: %s\n", argv[3], err.msg);
		}
	}
	td_app_close(app);
	printf("DONE saved=%ld busy=%ld failed=%ld wait=%.0f\n", saved, busy,
	       failed, longest * 1000);
	return failed ? 1 : 0;
}
