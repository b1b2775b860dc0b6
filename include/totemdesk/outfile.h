/* Every file totemdesk writes for a user -- `export -o`, `report -o`, the
 * queue's export, introduction texts, backups -- goes through this one
 * helper (src/app/outfile.c), so that each of them:
 *
 *   - never follows a symbolic link at the file's name (a link planted
 *     there is replaced, its target untouched), nor a link in the
 *     directory path that belongs to another user;
 *   - is written to a temporary file (mode 0600, owned by the user: opened
 *     with the user's own rights on a shared desk, see privilege.h) in the
 *     same directory, synced, then renamed in place, so a reader never
 *     sees half a file;
 *   - refuses an existing file unless TD_OUT_FORCE (the command line's
 *     --force, or a screen after the user said yes) -- checked when
 *     opening and again, atomically, when renaming;
 *   - leaves nothing behind when anything fails (td_outfile_abort).
 *
 *     struct td_outfile *f;
 *     if (td_outfile_open(&f, path, force ? TD_OUT_FORCE : 0, &err))
 *             return err.code;
 *     rc = write_everything(td_outfile_stream(f));
 *     rc = rc ? (td_outfile_abort(f), rc) : td_outfile_commit(f, &err);
 */
#ifndef TOTEMDESK_OUTFILE_H
#define TOTEMDESK_OUTFILE_H

#include "totemdesk/error.h"

#include <stddef.h>
#include <stdio.h>

enum td_outfile_flags {
	TD_OUT_FORCE = 1,   /* replace an existing file (never a directory) */
};

struct td_outfile;

/* Check path and create its temporary file.  On success *out is the
 * caller's until td_outfile_commit or td_outfile_abort.  Errors:
 * TD_EEXIST (the file exists and no TD_OUT_FORCE; the message says to
 * use --force or choose another name), TD_EPERM (a directory of the path
 * is a link owned by another user), TD_EIO (directory missing, not
 * writable, disk full ...), TD_EINVAL (an empty name or a directory). */
int td_outfile_open(struct td_outfile **out, const char *path,
		    unsigned flags, td_err *err);

/* Stream on the temporary file (owned by f: do not fclose it). */
FILE *td_outfile_stream(struct td_outfile *f);

/* Path of the temporary file, for writers that open it by name (SQLite's
 * backup); it exists, empty, mode 0600. */
const char *td_outfile_temp_path(const struct td_outfile *f);

/* The path given to td_outfile_open. */
const char *td_outfile_path(const struct td_outfile *f);

/* Flush, sync and rename the temporary file to its name.  Frees f,
 * whatever the outcome; on failure the temporary file is removed and the
 * name is left as it was. */
int td_outfile_commit(struct td_outfile *f, td_err *err);

/* Give up: remove the temporary file, free f (NULL is fine). */
void td_outfile_abort(struct td_outfile *f);

/* The whole file at once: open, write len bytes of data, commit. */
int td_outfile_write(const char *path, const void *data, size_t len,
		     unsigned flags, td_err *err);

#endif
