/* Import of earlier intakes from a spreadsheet (CSV with the export's
 * column names): every row is checked as the intake form checks it, and
 * against the holders already registered; each problem is reported as
 * "FILE:LINE: field: message".  By default nothing is written when any
 * row is bad; skip_bad imports the good rows; dry_run writes nothing.
 * Everything happens in one transaction. */
#ifndef TOTEMDESK_IMPORT_H
#define TOTEMDESK_IMPORT_H

#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stddef.h>

struct td_app;

struct td_import_options {
	const char *name;   /* file name for messages ("holders.csv") */
	bool dry_run;       /* check everything, write nothing */
	bool skip_bad;      /* import the good rows even if some are bad */
	int preview;        /* keep a summary of the first rows (0 = none) */
};

/* One problem: line 0 is about the whole file; field "" about the row. */
struct td_import_problem {
	long line;
	char field[32];     /* the CSV column name, "email", "site" ... */
	char msg[400];      /* translated */
};

/* One row of the preview, as it would be (or was) imported. */
struct td_import_row {
	long line;
	bool ok;
	char reference[TD_REF_SIZE]; /* kept or newly given; "" when bad */
	char site[4];
	char name[TD_NAME_MAX * 8 + 2]; /* "Lefèvre Zoé" */
	char title[TD_TITLE_MAX * 4 + 1];
};

struct td_import_result {
	long rows;          /* data rows read */
	long good, bad;
	long imported;      /* written (0 on a dry run or when refused) */
	long duplicates;    /* rows refused as already registered */
	long renumbered;    /* references not kept (taken or malformed) */
	bool written;       /* the transaction was committed */
	struct td_import_problem *problems; /* owned */
	size_t nproblems;
	struct td_import_row *preview;      /* owned, at most o->preview */
	size_t npreview;
};

/* Release what res owns and reset it. */
void td_import_result_free(struct td_import_result *res);

/* Format problem p as "NAME:LINE: field: message" (NAME:LINE: message
 * without a field) into out. */
void td_import_problem_format(const char *name,
			      const struct td_import_problem *p, char *out,
			      size_t outsz);

/* Import the CSV text data (len bytes, ',' or ';', BOM tolerated) as the
 * current user, who must be an officer or an administrator known to the
 * configuration.  res (reset first) lists every problem.  Returns TD_OK
 * when nothing was refused (rows written unless dry run), TD_EINVAL when
 * rows were bad and skip_bad is off (nothing written; err says so), or
 * another status for a file, database or permission failure. */
int td_app_import(struct td_app *app, const char *data, size_t len,
		  const struct td_import_options *o,
		  struct td_import_result *res, td_err *err);

/* td_app_import of the file at path (read whole; o->name NULL names it
 * by path).  A file that cannot be read is TD_EIO naming it. */
int td_app_import_file(struct td_app *app, const char *path,
		       const struct td_import_options *o,
		       struct td_import_result *res, td_err *err);

#endif
