/* Store tests on real SQLite files in a fresh temporary directory. */
#include "../../src/store/store_int.h"
#include "store/draft.h"
#include "store/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tmpdir.h"

struct fx {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	if (tmpdir_make(fx->dir, sizeof fx->dir, "store")) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof fx->path, "%s/desk.db", fx->dir);
	unsetenv("TOTEMDESK_NOW");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	tmpdir_remove(fx->dir);
	free(fx);
	return 0;
}

/* A second, plain SQLite connection: what another terminal would be. */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	sqlite3_busy_timeout(h, 2000);
	return h;
}

static long long raw_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void raw_exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static td_db *open_new(struct fx *fx)
{
	td_db *db = NULL;
	td_err err = { 0 };
	int rc = td_store_open(fx->path, TD_DB_NEW, &db, &err);
	if (rc != TD_OK)
		fail_msg("open: %s", err.msg);
	return db;
}

static void put_sites(td_db *db)
{
	static const struct td_site_rec sites[] = {
		{ "MET", "Metz", "Bliiida", "Metz", "7 avenue de Blida", true },
		{ "NAN", "Nancy", "Totem", "Nancy", NULL, false },
		{ "EPI", "Épinal", "Pôle gare", "Épinal", NULL, false },
	};
	td_err err = { 0 };
	for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++)
		assert_int_equal(td_store_site_put(db, &sites[i], &err), TD_OK);
	struct td_user_rec u = { "marie", "Marie Dupont", "reception", "MET" };
	assert_int_equal(td_store_user_put(db, &u, &err), TD_OK);
	struct td_user_rec o = { "paul", "Paul Martin", "officer", NULL };
	assert_int_equal(td_store_user_put(db, &o, &err), TD_OK);
}

/* A complete dossier; n makes ids, names and references distinct. */
static void make_dossier(struct td_dossier *d, const char *site, int n,
			 const char *created, int status)
{
	td_err err = { 0 };
	memset(d, 0, sizeof *d);
	assert_int_equal(td_store_new_id(site, d->id, &err), TD_OK);
	assert_int_equal(td_store_new_id(site, d->holder_id, &err), TD_OK);
	snprintf(d->reference, sizeof d->reference, "%s-2026-%04d", site, n);
	snprintf(d->site, sizeof d->site, "%s", site);
	snprintf(d->created_at, sizeof d->created_at, "%s", created);
	snprintf(d->updated_at, sizeof d->updated_at, "%s", created);
	snprintf(d->consent_at, sizeof d->consent_at, "%s", created);
	snprintf(d->consent_version, sizeof d->consent_version, "2026-01");
	snprintf(d->created_by, sizeof d->created_by, "marie");
	d->status = status;
	d->version = 1;
	snprintf(d->v.last_name, sizeof d->v.last_name, "Nom%d", n);
	snprintf(d->v.first_name, sizeof d->v.first_name, "Prénom%d", n);
	snprintf(d->v.title, sizeof d->v.title, "Projet %d", n);
	d->v.stage = 1 + n % 6;
	d->v.needs = 1u << (n % 7);
	d->v.consent = true;
}

/* ---- opening ----------------------------------------------------------- */

/* The full-text index keeps a prefix index for every length from 2 to 12
 * (migrations 6 and 14): without them a keystroke of a prefix that every
 * e-mail address shares ("porteur"*) merges every matching term before
 * its first row, 100 times slower at 100,000 dossiers; migration 13 had
 * lost them and no test noticed (docs/benchmarks.md, "Scale"). */
static void fts_keeps_prefix_indexes(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	assert_non_null(db);
	td_store_close(db);
	sqlite3 *h = raw_open(fx->path);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h,
		"SELECT sql FROM sqlite_master WHERE name = 'dossier_fts'", -1,
		&st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *sql = (const char *)sqlite3_column_text(st, 0);
	assert_non_null(strstr(sql, "prefix = '2 3 4 5 6 7 8 9 10 11 12'"));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void fresh_create(void **state)
{
	struct fx *fx = *state;
	struct stat sb;
	char wal[160];

	/* With umask 0 a careless create would give 0644 or 0666. */
	mode_t old = umask(0);
	td_db *db = open_new(fx);
	umask(old);
	assert_non_null(db);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	sqlite3 *h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "PRAGMA user_version"), TD_SCHEMA_VERSION);
	assert_int_equal(raw_int(h, "PRAGMA application_id"), 0x54444b31);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(h);

	/* The write-ahead log holds the same personal data. */
	put_sites(db);
	snprintf(wal, sizeof wal, "%s-wal", fx->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	char report[256];
	td_err err = { 0 };
	assert_int_equal(td_store_check(db, report, sizeof report, &err), TD_OK);
	assert_string_equal(report, "ok");
	td_store_close(db);

	/* Reopening an existing database needs no flag and migrates nothing. */
	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_OK);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	td_store_close(db);
}

static void umask_277_still_writable(void **state)
{
	struct fx *fx = *state;
	struct stat sb;
	mode_t old = umask(0277);
	td_db *db = open_new(fx);
	umask(old);
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	put_sites(db);
	td_store_close(db);
}

static void open_refusals(void **state)
{
	struct fx *fx = *state;
	td_db *db = NULL;
	td_err err = { 0 };
	char p[192];

	td_store_close(open_new(fx));
	assert_int_equal(td_store_open(fx->path, TD_DB_NEW, &db, &err), TD_EEXIST);
	assert_null(db);
	assert_non_null(strstr(err.msg, fx->path));

	snprintf(p, sizeof p, "%s/missing.db", fx->dir);
	assert_int_equal(td_store_open(p, 0, &db, &err), TD_ENOTFOUND);
	assert_non_null(strstr(err.msg, p));
	assert_int_equal(access(p, F_OK), -1);

	snprintf(p, sizeof p, "%s/no/such/dir/desk.db", fx->dir);
	assert_int_equal(td_store_open(p, TD_DB_CREATE, &db, &err), TD_EIO);
	assert_non_null(strstr(err.msg, p));
	assert_non_null(strstr(err.msg, "directory does not exist"));

	assert_int_equal(td_store_open(fx->dir, TD_DB_CREATE, &db, &err),
			 TD_EINVAL);
	assert_non_null(strstr(err.msg, "directory"));

	if (geteuid() != 0) {
		/* root ignores permissions; everyone else must be told. */
		snprintf(p, sizeof p, "%s/ro", fx->dir);
		assert_int_equal(mkdir(p, 0500), 0);
		snprintf(p, sizeof p, "%s/ro/desk.db", fx->dir);
		assert_int_equal(td_store_open(p, TD_DB_CREATE, &db, &err),
				 TD_EIO);
		assert_non_null(strstr(err.msg, p));
	}
}

static void too_new_refused(void **state)
{
	struct fx *fx = *state;
	td_db *db = NULL;
	td_err err = { 0 };

	td_store_close(open_new(fx));
	sqlite3 *h = raw_open(fx->path);
	raw_exec(h, "PRAGMA user_version = 99");
	sqlite3_close(h);

	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_ESCHEMA);
	assert_null(db);
	assert_non_null(strstr(err.msg, "99"));
	assert_non_null(strstr(err.msg, "upgrade totemdesk"));
	assert_non_null(strstr(err.msg, fx->path));
	/* Refused, not damaged: the file and its version are left alone. */
	h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "PRAGMA user_version"), 99);
	sqlite3_close(h);
}

static void foreign_db_refused(void **state)
{
	struct fx *fx = *state;
	td_db *db = NULL;
	td_err err = { 0 };
	sqlite3 *h = NULL;

	assert_int_equal(sqlite3_open(fx->path, &h), SQLITE_OK);
	raw_exec(h, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner TEXT)");
	sqlite3_close(h);
	assert_int_equal(td_store_open(fx->path, TD_DB_CREATE, &db, &err),
			 TD_ESCHEMA);
	assert_non_null(strstr(err.msg, "not a totemdesk"));
	h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM sqlite_master"), 1);
	/* Not even switched to WAL: somebody else's file is left alone. */
	assert_int_equal(raw_int(h, "SELECT count(*) FROM pragma_journal_mode"
				    " WHERE journal_mode = 'delete'"), 1);
	sqlite3_close(h);
}

static void not_sqlite_refused(void **state)
{
	struct fx *fx = *state;
	td_db *db = NULL;
	td_err err = { 0 };
	struct stat sb;
	static const char text[] =
		"last_name,first_name\nDupont,Marie\nMüller,Éloïse\n"
		"this is a CSV export, not a database, and it is long enough "
		"to hold a whole SQLite header if it were one.\n";

	FILE *f = fopen(fx->path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(td_store_open(fx->path, TD_DB_CREATE, &db, &err),
			 TD_ECORRUPT);
	assert_null(db);
	assert_non_null(strstr(err.msg, fx->path));
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_size, (off_t)strlen(text));
}

static void readonly_mode(void **state)
{
	struct fx *fx = *state;
	td_db *db = NULL;
	td_err err = { 0 };
	struct td_site_rec s = { "THI", "Thionville", NULL, NULL, NULL, false };

	/* An empty file has no schema to read. */
	int fd = open(fx->path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(td_store_open(fx->path, TD_DB_READONLY, &db, &err),
			 TD_ESCHEMA);
	unlink(fx->path);

	td_store_close(open_new(fx));
	assert_int_equal(td_store_open(fx->path, TD_DB_READONLY, &db, &err),
			 TD_OK);
	assert_int_not_equal(td_store_site_put(db, &s, &err), TD_OK);
	td_store_close(db);
}

/* ---- ids and clocks ---------------------------------------------------- */

static void ids_and_now(void **state)
{
	char a[TD_ID_SIZE], b[TD_ID_SIZE], t[TD_TIME_SIZE];
	td_err err = { 0 };

	assert_int_equal(td_store_new_id("MET", a, &err), TD_OK);
	struct timespec ts = { 0, 3 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	assert_int_equal(td_store_new_id("MET", b, &err), TD_OK);
	assert_int_equal(strlen(a), 30);
	assert_memory_equal(a, "MET-", 4);
	assert_int_equal(strspn(a + 4, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), 26);
	assert_string_not_equal(a, b);
	/* The first 10 characters are the time: later ids sort later. */
	assert_true(memcmp(a, b, 14) < 0);
	/* Many ids in the same millisecond still sort in creation order. */
	for (int i = 0; i < 2000; i++) {
		memcpy(a, b, sizeof a);
		assert_int_equal(td_store_new_id("MET", b, &err), TD_OK);
		assert_true(strcmp(a + 4, b + 4) < 0);
	}
	assert_int_equal(td_store_new_id("met", a, &err), TD_EINVAL);
	assert_int_equal(td_store_new_id("METZ", a, &err), TD_EINVAL);

	setenv("TOTEMDESK_NOW", "2026-11-23T15:51:48Z", 1);
	td_store_now(t);
	assert_string_equal(t, "2026-11-23T15:51:48Z");
	unsetenv("TOTEMDESK_NOW");
	td_store_now(t);
	assert_int_equal(strlen(t), 20);
	assert_int_equal(t[10], 'T');
	assert_int_equal(t[19], 'Z');
	assert_true(strcmp(t, "2026-01-01") > 0);
}

/* ---- reference data ---------------------------------------------------- */

static void audit_append_only(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	char *msg = NULL;

	assert_int_equal(td_store_audit(db, "2026-03-01T09:00:00Z", "marie",
					"login", "app_user", "marie", NULL, NULL,
					&err), TD_OK);
	assert_int_equal(td_store_audit(db, NULL, "marie", "", NULL, NULL, NULL,
					NULL, &err), TD_EINVAL);
	sqlite3 *h = raw_open(fx->path);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE audit SET actor = 'x'",
					  NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL,
					  &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM audit WHERE actor = 'marie'"), 1);
	sqlite3_close(h);
	td_store_close(db);
}

static void reference_counter(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	char r[TD_REF_SIZE];

	put_sites(db);
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	assert_int_equal(td_store_reference_next(db, "MET", 2026, r, &err), TD_OK);
	assert_string_equal(r, "MET-2026-0001");
	assert_int_equal(td_store_reference_next(db, "MET", 2026, r, &err), TD_OK);
	assert_string_equal(r, "MET-2026-0002");
	assert_int_equal(td_store_reference_next(db, "NAN", 2026, r, &err), TD_OK);
	assert_string_equal(r, "NAN-2026-0001");
	assert_int_equal(td_store_reference_next(db, "MET", 2027, r, &err), TD_OK);
	assert_string_equal(r, "MET-2027-0001");
	assert_int_equal(td_store_commit(db, &err), TD_OK);

	/* A cancelled registration gives its number back. */
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	assert_int_equal(td_store_reference_next(db, "MET", 2026, r, &err), TD_OK);
	assert_string_equal(r, "MET-2026-0003");
	td_store_rollback(db);
	assert_int_equal(td_store_reference_next(db, "MET", 2026, r, &err), TD_OK);
	assert_string_equal(r, "MET-2026-0003");

	sqlite3 *h = raw_open(fx->path);
	raw_exec(h, "UPDATE ref_counter SET last = 9999 WHERE site_code = 'NAN'");
	sqlite3_close(h);
	assert_int_equal(td_store_reference_next(db, "NAN", 2026, r, &err), TD_OK);
	assert_string_equal(r, "NAN-2026-10000");

	assert_int_equal(td_store_reference_next(db, "Metz", 2026, r, &err),
			 TD_EINVAL);
	assert_string_equal(r, "");
	td_store_close(db);
}

static void sites_users_partners(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	long n = -1;

	put_sites(db);
	/* Putting the same configuration again must not look like an edit. */
	put_sites(db);
	sqlite3 *h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT version FROM app_user WHERE login = 'marie'"), 1);
	sqlite3_close(h);
	struct td_user_rec moved = { "marie", "Marie Dupont", "reception", "NAN" };
	assert_int_equal(td_store_user_put(db, &moved, &err), TD_OK);
	h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT version FROM app_user WHERE login = 'marie'"), 2);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM site"), 3);
	sqlite3_close(h);

	struct td_user_rec bad_role = { "zoe", "Zoé", "boss", "MET" };
	assert_int_equal(td_store_user_put(db, &bad_role, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "boss"));
	struct td_user_rec bad_site = { "zoe", "Zoé", "reception", "LUX" };
	assert_int_equal(td_store_user_put(db, &bad_site, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "LUX"));
	struct td_site_rec bad = { "LUXE", "Lux", NULL, NULL, NULL, false };
	assert_int_equal(td_store_site_put(db, &bad, &err), TD_EINVAL);

	struct td_partner_rec p = {
		"initiative-metz", "Initiative Metz", "funding", "MET",
		"Metz", NULL, "https://www.initiative-metz.fr", "creation|takeover",
		"funding", "Prêts d'honneur.", "https://example.org"
	};
	assert_int_equal(td_store_partner_put(db, &p, &err), TD_OK);
	assert_int_equal(td_store_partner_put(db, &p, &err), TD_OK);
	p.id = "alexis";
	p.name = "Alexis Lorraine";
	assert_int_equal(td_store_partner_put(db, &p, &err), TD_OK);
	p.name = "Alexis Grand Est";
	assert_int_equal(td_store_partner_put(db, &p, &err), TD_OK);
	assert_int_equal(td_store_partner_count(db, &n, &err), TD_OK);
	assert_int_equal(n, 2);
	h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT version FROM partner WHERE id = 'initiative-metz'"), 1);
	assert_int_equal(raw_int(h, "SELECT version FROM partner WHERE id = 'alexis'"), 2);
	sqlite3_close(h);
	p.name = "";
	assert_int_equal(td_store_partner_put(db, &p, &err), TD_EINVAL);
	td_store_close(db);
}

/* ---- dossiers ---------------------------------------------------------- */

static void insert_get_round_trip(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d, got;
	char r[TD_REF_SIZE];

	put_sites(db);
	memset(&d, 0, sizeof d);
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	assert_int_equal(td_store_reference_next(db, "MET", 2026, r, &err), TD_OK);
	snprintf(d.reference, sizeof d.reference, "%s", r);
	assert_int_equal(td_store_new_id("MET", d.id, &err), TD_OK);
	assert_int_equal(td_store_new_id("MET", d.holder_id, &err), TD_OK);
	strcpy(d.site, "MET");
	strcpy(d.created_at, "2026-11-23T15:51:48Z");
	strcpy(d.updated_at, "2026-11-23T15:51:48Z");
	strcpy(d.consent_at, "2026-11-23T15:51:40Z");
	strcpy(d.consent_version, "rgpd-2026-01");
	strcpy(d.created_by, "marie");
	strcpy(d.assigned_to, "paul");
	d.status = 1;
	d.version = 1;
	strcpy(d.v.last_name, "Müller-Lefèvre");
	strcpy(d.v.first_name, "Éloïse");
	strcpy(d.v.email, "eloise.muller@exemple.fr");
	strcpy(d.v.phone, "+33612345678");
	strcpy(d.v.postcode, "57000");
	strcpy(d.v.city, "Saint-Dié-des-Vosges");
	strcpy(d.v.title, "Épicerie zéro déchet « La Mirabelle »");
	strcpy(d.v.description, "Vente en vrac, 120 m².\nBesoin d'un local — 8 000 €.");
	strcpy(d.v.siret, "73282932000074");
	d.v.stage = 3;
	d.v.sector = 8;
	d.v.needs = 1u << 0 | 1u << 1 | 1u << 6;
	d.v.consent = true;
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	assert_int_equal(td_store_commit(db, &err), TD_OK);

	assert_int_equal(td_store_dossier_get(db, "MET-2026-0001", &got, &err),
			 TD_OK);
	assert_string_equal(got.id, d.id);
	assert_string_equal(got.holder_id, d.holder_id);
	assert_string_equal(got.reference, "MET-2026-0001");
	assert_string_equal(got.site, "MET");
	assert_string_equal(got.created_at, d.created_at);
	assert_string_equal(got.updated_at, d.updated_at);
	assert_string_equal(got.consent_at, d.consent_at);
	assert_string_equal(got.consent_version, d.consent_version);
	assert_string_equal(got.created_by, "marie");
	assert_string_equal(got.assigned_to, "paul");
	assert_int_equal(got.status, 1);
	assert_int_equal(got.version, 1);
	assert_string_equal(got.v.last_name, d.v.last_name);
	assert_string_equal(got.v.first_name, d.v.first_name);
	assert_string_equal(got.v.email, d.v.email);
	assert_string_equal(got.v.phone, "+33612345678");
	assert_string_equal(got.v.postcode, d.v.postcode);
	assert_string_equal(got.v.city, d.v.city);
	assert_string_equal(got.v.title, d.v.title);
	assert_string_equal(got.v.description, d.v.description);
	assert_string_equal(got.v.siret, d.v.siret);
	assert_int_equal(got.v.stage, 3);
	assert_int_equal(got.v.sector, 8);
	assert_int_equal(got.v.needs, d.v.needs);
	assert_true(got.v.consent);
	/* Nothing else crept in (or was left out). */
	assert_memory_equal(&got, &d, sizeof d);

	/* Codes, not indexes, are what the file holds. */
	sqlite3 *h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM dossier WHERE stage = 'creation'"
				    " AND sector = 'foodtech' AND status = 'triaged'"
				    " AND needs = 'advice|funding|international'"), 1);
	sqlite3_close(h);

	assert_int_equal(td_store_dossier_get(db, "MET-2026-0099", &got, &err),
			 TD_ENOTFOUND);
	assert_non_null(strstr(err.msg, "MET-2026-0099"));
	td_store_close(db);
}

static void insert_is_atomic(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d;

	put_sites(db);
	/* Every status code is one the schema's CHECK accepts. */
	for (int s = 0; s < 6; s++) {
		make_dossier(&d, "NAN", s + 1, "2026-02-01T10:00:00Z", s);
		assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	}
	/* Same reference again: refused, and the holder is not left behind. */
	make_dossier(&d, "NAN", 1, "2026-02-01T11:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_EEXIST);
	assert_non_null(strstr(err.msg, "NAN-2026-0001"));
	sqlite3 *h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM holder"), 6);
	sqlite3_close(h);

	/* Inside the caller's transaction too, and the transaction lives on. */
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	make_dossier(&d, "EPI", 1, "2026-02-01T12:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	make_dossier(&d, "NAN", 2, "2026-02-01T12:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_EEXIST);
	assert_int_equal(td_store_commit(db, &err), TD_OK);
	h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM holder"), 7);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM dossier WHERE site_code = 'EPI'"), 1);
	sqlite3_close(h);

	/* Foreign keys are on: a site nobody declared is refused. */
	make_dossier(&d, "THI", 1, "2026-02-01T12:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "THI"));
	d.status = 6;
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_EINVAL);
	td_store_close(db);
}

struct collect {
	char refs[16][TD_REF_SIZE];
	int n;
	int stop_at;
	td_db *db;
};

static const struct td_queue_bounds no_bounds = { "", "", "", "" };

/* The list of site / status / created_at bounds (NULL: any), oldest
 * first when `oldest`, else newest first. */
static struct td_query list_q(const char *site, int status, bool oldest)
{
	struct td_query q;
	td_query_init(&q);
	if (site)
		snprintf(q.site, sizeof q.site, "%s", site);
	if (status >= 0)
		q.statuses = 1u << status;
	if (oldest)
		q.sort = TD_QC_DATE;
	return q;
}

static long list_count(td_db *db, const char *site, int status,
		       const char *since, const char *until)
{
	struct td_query q = list_q(site, status, false);
	struct td_queue_bounds b = no_bounds;
	td_err err = { 0 };
	long n = -1;
	snprintf(b.since, sizeof b.since, "%s", since ? since : "");
	snprintf(b.until, sizeof b.until, "%s", until ? until : "");
	if (td_store_list_count(db, &q, &b, 0, &n, &err))
		fail_msg("count: %s", err.msg);
	return n;
}

/* The limit rows after the dossier anchor (NULL: the first ones). */
static int list_rows(td_db *db, const char *site, const char *anchor,
		     int limit, struct td_queue_row *rows)
{
	struct td_query q = list_q(site, -1, false);
	td_err err = { 0 };
	int got = -1;
	if (td_store_list_seek(db, &q, &no_bounds, anchor, TD_SEEK_AFTER, limit,
			       rows, &got, &err))
		fail_msg("seek: %s", err.msg);
	return got;
}

static int collect_cb(const struct td_dossier *d, void *ctx)
{
	struct collect *c = ctx;
	if (c->n < 16)
		snprintf(c->refs[c->n], TD_REF_SIZE, "%s", d->reference);
	c->n++;
	if (c->db) {
		/* Re-entering the store from a callback must work. */
		long n = 0;
		td_err err = { 0 };
		struct td_query all;
		td_query_init(&all);
		assert_int_equal(td_store_list_count(c->db, &all, &no_bounds, 0,
						     &n, &err), TD_OK);
		struct collect inner = { .stop_at = 0 };
		assert_int_equal(td_store_list_each(c->db, &all, &no_bounds,
						    collect_cb, &inner, &err), 0);
		assert_int_equal(inner.n, n);
	}
	return c->n == c->stop_at ? 42 : 0;
}

static void page_count_filters(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d;
	struct td_queue_row rows[8];
	int got = -1;
	static const struct {
		const char *site, *at;
		int status;
	} seed[] = {
		{ "MET", "2026-01-10T09:00:00Z", 0 },
		{ "MET", "2026-02-10T09:00:00Z", 1 },
		{ "NAN", "2026-02-11T09:00:00Z", 0 },
		{ "MET", "2026-03-01T09:00:00Z", 0 },
		{ "NAN", "2026-03-02T09:00:00Z", 4 },
	};

	put_sites(db);
	for (int i = 0; i < 5; i++) {
		make_dossier(&d, seed[i].site, i + 1, seed[i].at, seed[i].status);
		assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	}

	struct td_query q;
	assert_int_equal(list_count(db, NULL, -1, NULL, NULL), 5);
	assert_int_equal(list_count(db, "MET", -1, NULL, NULL), 3);
	assert_int_equal(list_count(db, "MET", 0, NULL, NULL), 2);
	assert_int_equal(list_count(db, "", 0, "", NULL), 3);
	assert_int_equal(list_count(db, NULL, -1, "2026-02-10T00:00:00Z", NULL), 4);
	/* until is exclusive */
	assert_int_equal(list_count(db, NULL, -1, "2026-02-10T00:00:00Z",
				    "2026-03-01T09:00:00Z"), 2);
	assert_int_equal(list_count(db, "MET", 0, "2026-02-10T00:00:00Z", NULL), 1);

	/* Newest first, in pages, each after the last row of the one
	 * before. */
	got = list_rows(db, NULL, NULL, 2, rows);
	assert_int_equal(got, 2);
	assert_string_equal(rows[0].d.reference, "NAN-2026-0005");
	assert_string_equal(rows[1].d.reference, "MET-2026-0004");
	assert_string_equal(rows[0].d.site, "NAN");
	assert_string_equal(rows[0].d.created_at, "2026-03-02T09:00:00Z");
	assert_string_equal(rows[0].d.last_name, "Nom5");
	assert_string_equal(rows[0].d.first_name, "Prénom5");
	assert_string_equal(rows[0].d.title, "Projet 5");
	assert_int_equal(rows[0].d.status, 4);
	assert_int_equal(rows[0].d.stage, 1 + 5 % 6);
	assert_int_equal(rows[0].d.needs, 1u << 5);
	assert_string_equal(rows[0].last_action_at, "2026-03-02T09:00:00Z");
	got = list_rows(db, NULL, "MET-2026-0004", 2, rows);
	assert_int_equal(got, 2);
	assert_string_equal(rows[0].d.reference, "NAN-2026-0003");
	assert_string_equal(rows[1].d.reference, "MET-2026-0002");
	got = list_rows(db, NULL, "MET-2026-0002", 8, rows);
	assert_int_equal(got, 1);
	assert_string_equal(rows[0].d.reference, "MET-2026-0001");
	got = list_rows(db, "NAN", NULL, 8, rows);
	assert_int_equal(got, 2);
	assert_string_equal(rows[1].d.reference, "NAN-2026-0003");

	/* Oldest first, streaming; a callback's non-zero stops and is returned. */
	struct collect c = { .stop_at = 0 };
	q = list_q("MET", -1, true);
	assert_int_equal(td_store_list_each(db, &q, &no_bounds, collect_cb, &c,
					    &err), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.refs[0], "MET-2026-0001");
	assert_string_equal(c.refs[2], "MET-2026-0004");
	c = (struct collect){ .stop_at = 2 };
	q = list_q(NULL, -1, true);
	assert_int_equal(td_store_list_each(db, &q, &no_bounds, collect_cb, &c,
					    &err), 42);
	assert_int_equal(c.n, 2);
	c = (struct collect){ .stop_at = 0, .db = db };
	assert_int_equal(td_store_list_each(db, &q, &no_bounds, collect_cb, &c,
					    &err), 0);
	assert_int_equal(c.n, 5);

	/* The reception desk's restriction is the store's own (issue 11
	 * point 25): with only_site, no list reaches another site's
	 * dossiers, whatever the query asks -- by count (the tally, the
	 * index, a search), by page, by anchor, by stream. */
	struct td_queue_bounds met = no_bounds;
	snprintf(met.only_site, sizeof met.only_site, "MET");
	static const char *const asks[] = { NULL, "NAN", "MET" };
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 4; k++) {
			long n = -1;
			q = list_q(asks[i], k == 1 ? 0 : -1, k == 3);
			if (k == 2)
				snprintf(q.text, sizeof q.text, "nom");
			assert_int_equal(td_store_list_count(db, &q, &met, 0, &n,
							     &err), TD_OK);
			assert_int_equal(n, k == 1 ? 2 : 3);
			assert_int_equal(td_store_list_seek(db, &q, &met, NULL,
				TD_SEEK_AFTER, 8, rows, &got, &err), TD_OK);
			assert_int_equal(got, n);
			for (int r = 0; r < got; r++)
				assert_string_equal(rows[r].d.site, "MET");
			c = (struct collect){ .stop_at = 0 };
			assert_int_equal(td_store_list_each(db, &q, &met,
				collect_cb, &c, &err), 0);
			assert_int_equal(c.n, n);
			for (int r = 0; r < c.n; r++)
				assert_memory_equal(c.refs[r], "MET-", 4);
			long pos = -1;
			if (td_store_list_locate(db, &q, &met, "NAN-2026-0003",
						 &pos, &err) != TD_ENOTFOUND)
				fail_msg("locate: another site's dossier at %ld"
					 " (site asked %s, case %d)", pos,
					 asks[i] ? asks[i] : "-", k);
			/* Another site's anchor is a place in the order,
			 * never a row. */
			assert_int_equal(td_store_list_seek(db, &q, &met,
				"NAN-2026-0003", TD_SEEK_AT, 8, rows, &got,
				&err), TD_OK);
			for (int r = 0; r < got; r++)
				assert_string_equal(rows[r].d.site, "MET");
		}
	}

	/* Soft-deleted rows disappear from every view (and from the tally
	 * the counts read); the update bumps the version through the
	 * trigger. */
	sqlite3 *h = raw_open(fx->path);
	raw_exec(h, "UPDATE dossier SET deleted = 1 WHERE reference = 'MET-2026-0004'");
	assert_int_equal(raw_int(h, "SELECT version FROM dossier WHERE reference = 'MET-2026-0004'"), 2);
	sqlite3_close(h);
	assert_int_equal(list_count(db, NULL, -1, NULL, NULL), 4);
	assert_int_equal(list_count(db, "MET", 0, NULL, NULL), 1);
	assert_int_equal(td_store_dossier_get(db, "MET-2026-0004", &d, &err),
			 TD_ENOTFOUND);
	got = list_rows(db, NULL, NULL, 1, rows);
	assert_string_equal(rows[0].d.reference, "NAN-2026-0005");
	got = list_rows(db, NULL, rows[0].d.reference, 1, rows);
	assert_string_equal(rows[0].d.reference, "NAN-2026-0003");
	/* A deleted dossier is no anchor. */
	assert_int_equal(td_store_list_seek(db, &q, &no_bounds, "MET-2026-0004",
					    TD_SEEK_AFTER, 1, rows, &got, &err),
			 TD_ENOTFOUND);
	td_store_close(db);
}

struct events {
	struct td_event e[8];
	int n;
};

static int event_cb(const struct td_event *e, void *ctx)
{
	struct events *ev = ctx;
	if (ev->n < 8)
		ev->e[ev->n] = *e;
	ev->n++;
	return 0;
}

static void timeline_merges(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d;
	struct events ev = { .n = 0 };

	put_sites(db);
	make_dossier(&d, "MET", 1, "2026-03-01T09:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	/* Written out of order on purpose: the timeline sorts by time. */
	assert_int_equal(td_store_audit(db, "2026-03-02T10:00:00Z", "paul",
					"status", "dossier", d.id, d.id,
					"new -> triaged", &err), TD_OK);
	assert_int_equal(td_store_note_add(db, d.id, "paul",
					   "Rappeler mardi ; dossier BPI ☎",
					   "2026-03-02T10:00:00Z", &err), TD_OK);
	assert_int_equal(td_store_note_add(db, d.id, "marie", "Premier contact",
					   "2026-03-01T09:30:00Z", &err), TD_OK);
	assert_int_equal(td_store_audit(db, "2026-03-01T09:00:00Z", "marie",
					"create", "dossier", d.id, d.id, NULL,
					&err), TD_OK);

	assert_int_equal(td_store_timeline(db, d.id, event_cb, &ev, &err), 0);
	assert_int_equal(ev.n, 4);
	assert_string_equal(ev.e[0].action, "create");
	assert_string_equal(ev.e[0].actor, "marie");
	assert_string_equal(ev.e[0].at, "2026-03-01T09:00:00Z");
	assert_string_equal(ev.e[1].action, "note");
	assert_string_equal(ev.e[1].detail, "Premier contact");
	assert_string_equal(ev.e[2].action, "status");
	assert_string_equal(ev.e[2].detail, "new -> triaged");
	assert_string_equal(ev.e[3].action, "note");
	assert_string_equal(ev.e[3].actor, "paul");
	assert_string_equal(ev.e[3].detail, "Rappeler mardi ; dossier BPI ☎");

	/* Each note is logged once, without its text; its key carries the
	 * author's site, or the dossier's for an author with none. */
	sqlite3 *h = raw_open(fx->path);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM audit WHERE action = 'note'"
				    " AND entity_id IN (SELECT id FROM note)"
				    " AND detail IS NULL"), 2);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM note WHERE id LIKE 'MET-%'"), 2);
	sqlite3_close(h);

	assert_int_equal(td_store_note_add(db, "MET-NOPE", "paul", "x", NULL, &err),
			 TD_ENOTFOUND);
	assert_int_equal(td_store_note_add(db, d.id, "paul", " \n ", NULL, &err),
			 TD_EINVAL);
	ev.n = 0;
	assert_int_equal(td_store_timeline(db, d.id, event_cb, &ev, &err), 0);
	assert_int_equal(ev.n, 4);
	td_store_close(db);
}

/* ---- concurrency ------------------------------------------------------- */

/* A dry run's transaction (td_store_begin_trial) records nothing for
 * the other sites and cannot be saved; a normal one records its write. */
static void trial_records_nothing_and_cannot_commit(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d;

	put_sites(db);
	sqlite3 *h = raw_open(fx->path);
	long long before = raw_int(h, "SELECT count(*) FROM sync_outbox");

	assert_int_equal(td_store_begin_trial(db, &err), TD_OK);
	make_dossier(&d, "MET", 1, "2026-03-01T09:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	assert_int_equal(td_store_commit(db, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "dry run"));
	assert_int_equal(list_count(db, NULL, -1, NULL, NULL), 0);
	assert_int_equal(raw_int(h, "SELECT count(*) FROM sync_outbox"), before);

	/* The same write in a transaction of its own is recorded. */
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	make_dossier(&d, "MET", 1, "2026-03-01T09:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);
	assert_int_equal(td_store_commit(db, &err), TD_OK);
	assert_int_equal(list_count(db, NULL, -1, NULL, NULL), 1);
	assert_true(raw_int(h, "SELECT count(*) FROM sync_outbox") > before);
	sqlite3_close(h);
	td_store_close(db);
}

static void busy_is_reported(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d;
	struct timespec t0, t1;

	put_sites(db);
	make_dossier(&d, "MET", 1, "2026-03-01T09:00:00Z", 0);
	assert_int_equal(td_store_dossier_insert(db, &d, &err), TD_OK);

	sqlite3 *other = raw_open(fx->path);
	raw_exec(other, "BEGIN IMMEDIATE");
	td_store_set_busy_timeout(db, 100);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(td_store_begin(db, &err), TD_EBUSY);
	assert_non_null(strstr(err.msg, "another terminal"));
	assert_int_equal(td_store_note_add(db, d.id, "marie", "x", NULL, &err),
			 TD_EBUSY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(s >= 0.15 && s < 3.0);

	/* Readers are not blocked by a writer in WAL mode. */
	assert_int_equal(list_count(db, NULL, -1, NULL, NULL), 1);

	raw_exec(other, "COMMIT");
	sqlite3_close(other);
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	assert_int_equal(td_store_commit(db, &err), TD_OK);
	td_store_close(db);
}

static void change_detection(void **state)
{
	struct fx *fx = *state;
	td_db *a = open_new(fx);
	td_db *b = NULL;
	td_err err = { 0 };

	assert_int_equal(td_store_open(fx->path, 0, &b, &err), TD_OK);
	assert_false(td_store_changed(a));
	put_sites(b);
	assert_true(td_store_changed(a));
	assert_false(td_store_changed(a));
	/* Our own writes are already on screen. */
	assert_int_equal(td_store_audit(a, NULL, "marie", "login", NULL, NULL,
					NULL, NULL, &err), TD_OK);
	assert_false(td_store_changed(a));
	assert_true(td_store_changed(b));
	td_store_close(b);
	td_store_close(a);
}

static void check_finds_orphans(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	char report[512];

	sqlite3 *h = raw_open(fx->path);
	raw_exec(h, "PRAGMA foreign_keys = OFF;"
		    "INSERT INTO note(id, dossier_id, author, body, created_at,"
		    " updated_at) VALUES('MET-X', 'MET-GONE', 'paul', 'orphan',"
		    " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	sqlite3_close(h);
	assert_int_equal(td_store_check(db, report, sizeof report, &err),
			 TD_ECORRUPT);
	assert_non_null(strstr(report, "note"));
	assert_non_null(strstr(report, "dossier"));
	assert_non_null(strstr(err.msg, fx->path));
	td_store_close(db);
}


/* A full disk (here: SQLite's page limit, which fails exactly like a
 * full file system) makes the write fail with TD_EIO and a message that
 * says so; everything saved before stays intact and readable. */
static void disk_full_is_reported_and_harmless(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d;
	int saved = 0, rc = TD_OK;

	put_sites(db);
	long long pages = raw_int(db->h, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + 3);
	raw_exec(db->h, sql);
	for (int n = 1; n < 5000 && rc == TD_OK; n++) {
		make_dossier(&d, "MET", n, "2026-11-23T10:00:00Z", 0);
		snprintf(d.v.description, sizeof d.v.description, "%0900d", n);
		assert_int_equal(td_store_begin(db, &err), TD_OK);
		rc = td_store_dossier_insert(db, &d, &err);
		if (rc == TD_OK)
			rc = td_store_commit(db, &err);
		else
			td_store_rollback(db);
		if (rc == TD_OK)
			saved++;
	}
	assert_int_equal(rc, TD_EIO);
	assert_non_null(strstr(err.msg, "disk full"));
	assert_non_null(strstr(err.msg, fx->path));
	assert_true(saved > 0);
	assert_int_equal(list_count(db, NULL, -1, NULL, NULL), saved);
	char report[512];
	assert_int_equal(td_store_check(db, report, sizeof report, &err), TD_OK);
	td_store_close(db);
}

/* A database as an older program left it: the migrations up to version,
 * then sql (rows of that schema), in one transaction. */
static void old_db(const struct fx *fx, int version, const char *sql)
{
	sqlite3 *h = NULL;
	char pragma[128];
	assert_int_equal(sqlite3_open_v2(fx->path, &h, SQLITE_OPEN_READWRITE |
					 SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	raw_exec(h, "BEGIN");
	for (int v = 0; v < version; v++)
		for (const char *const *step = store_migrations[v]; *step; step++)
			raw_exec(h, *step);
	snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d;"
		 " PRAGMA user_version = %d", STORE_APPLICATION_ID, version);
	raw_exec(h, pragma);
	raw_exec(h, sql);
	raw_exec(h, "COMMIT");
	sqlite3_close(h);
}

/* The site, person and dossier most upgrades start from. */
#define OLD_SITE \
	"INSERT INTO site(code, name, updated_at) VALUES ('MET', 'Metz', 'x');"
#define OLD_HOLDER \
	"INSERT INTO holder(id, site_code, last_name, first_name, consent, " \
	"created_at, updated_at) VALUES ('MET-H', 'MET', 'Lefèvre', 'Zoé', 1, " \
	"'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
#define OLD_DOSSIER \
	"INSERT INTO dossier(id, reference, holder_id, site_code, needs, " \
	"created_at, updated_at) VALUES ('MET-D', 'MET-2025-0001', 'MET-H', " \
	"'MET', 'funding', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"

/* How many dossiers' list rows (dossier_row, migration 15) differ from
 * what the dossier, its holder and its last action say, plus rows of no
 * dossier: 0 when the triggers kept up. */
static long long row_drift(sqlite3 *h)
{
	return raw_int(h,
		"SELECT (SELECT count(*) FROM dossier_row r WHERE NOT EXISTS"
		" (SELECT 1 FROM dossier d WHERE d.rowid = r.dossier_rowid))"
		" + (SELECT count(*) FROM dossier d"
		" LEFT JOIN holder h ON h.id = d.holder_id"
		" LEFT JOIN dossier_activity a ON a.dossier_id = d.id"
		" LEFT JOIN dossier_row r ON r.dossier_rowid = d.rowid"
		" WHERE r.dossier_rowid IS NULL"
		" OR r.reference IS NOT d.reference"
		" OR r.site_code IS NOT d.site_code"
		" OR r.created_at IS NOT d.created_at"
		" OR r.last_name IS NOT h.last_name"
		" OR r.first_name IS NOT h.first_name"
		" OR r.project_title IS NOT d.project_title"
		" OR r.assigned_to IS NOT d.assigned_to"
		" OR r.status IS NOT d.status OR r.stage IS NOT d.stage"
		" OR r.needs IS NOT d.needs OR r.sector IS NOT d.sector"
		" OR r.last_action_at IS NOT a.last_action_at"
		" OR r.country IS NOT h.country OR r.version IS NOT d.version"
		" OR r.deleted IS NOT d.deleted)");
}

/* A search's page reads each match's list row from dossier_row alone
 * (migration 15): the triggers keep it equal to the dossier, its holder
 * and its last action whoever writes, with whatever conflict clause --
 * the store, sqlite3 by hand, an INSERT OR IGNORE, an UPDATE OR
 * REPLACE, a holder that arrives after its dossier -- and the page
 * shows what was just written. */
static void dossier_row_follows_every_writer(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_dossier d[3];

	put_sites(db);
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	for (int i = 0; i < 3; i++) {
		make_dossier(&d[i], i ? "NAN" : "MET", i + 1,
			     "2026-11-20T09:00:00Z", 0);
		assert_int_equal(td_store_dossier_insert(db, &d[i], &err), TD_OK);
	}
	assert_int_equal(td_store_commit(db, &err), TD_OK);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM dossier_row"), 3);
	assert_int_equal(row_drift(db->h), 0);

	db->capture_check = false;	/* behind the store's back, on purpose */
	static const char *const writes[] = {
		"UPDATE dossier SET status = 'triaged', assigned_to = 'paul'"
		" WHERE reference = 'MET-2026-0001'",
		"UPDATE OR IGNORE dossier SET stage = 'seed', sector = NULL,"
		" needs = 'funding|hosting'",
		"UPDATE OR REPLACE dossier SET project_title = 'Atelier vélo'"
		" WHERE reference = 'NAN-2026-0002'",
		/* The touch trigger is left alone: version set by hand. */
		"UPDATE dossier SET version = version + 5, deleted = 1"
		" WHERE reference = 'NAN-2026-0003'",
		"UPDATE holder SET last_name = 'Schneider', first_name = 'Anna'",
		"UPDATE holder SET country = 'LU' WHERE rowid = 1",
		"INSERT INTO audit(at, action, dossier_id) SELECT"
		" '2026-12-01T10:00:00Z', 'note', id FROM dossier"
		" WHERE reference = 'MET-2026-0001'",
		"UPDATE dossier SET holder_id = (SELECT holder_id FROM dossier"
		" WHERE reference = 'NAN-2026-0003')"
		" WHERE reference = 'NAN-2026-0002'",
		/* A dossier whose holder comes after it (foreign keys are
		 * checked at commit). */
		"PRAGMA defer_foreign_keys = ON; BEGIN;"
		" INSERT OR IGNORE INTO dossier(id, reference, holder_id,"
		" site_code, needs, created_at, updated_at) VALUES ('MET-D9',"
		" 'MET-2026-0009', 'MET-H9', 'MET', 'advice',"
		" '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z');"
		" INSERT INTO holder(id, site_code, last_name, first_name,"
		" consent, created_at, updated_at) VALUES ('MET-H9', 'MET',"
		" 'Hoffmann', 'Lena', 1, '2026-11-21T09:00:00Z',"
		" '2026-11-21T09:00:00Z'); COMMIT",
		"DELETE FROM dossier_activity WHERE dossier_id = 'MET-D9'",
		"INSERT OR REPLACE INTO dossier_activity VALUES ('MET-D9',"
		" '2026-11-30T10:00:00Z')",
		"DELETE FROM dossier WHERE reference = 'MET-2026-0009'",
	};
	for (size_t i = 0; i < sizeof writes / sizeof *writes; i++) {
		raw_exec(db->h, writes[i]);
		if (row_drift(db->h) != 0)
			fail_msg("after %s: %lld rows differ", writes[i],
				 row_drift(db->h));
	}
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM dossier_row"), 3);

	/* The page shows the new name, the status and the last action. */
	struct td_query q;
	struct td_queue_bounds all = { "", "", "", "" };
	struct td_queue_row rows[4];
	int n = 0;
	td_query_init(&q);
	strcpy(q.text, "schneider");
	assert_int_equal(td_store_list_seek(db, &q, &all, NULL,
		TD_SEEK_AFTER, 4, rows, &n, &err), TD_OK);
	assert_int_equal(n, 2);	/* the third is deleted */
	assert_string_equal(rows[1].d.reference, "MET-2026-0001");
	assert_string_equal(rows[1].d.last_name, "Schneider");
	assert_string_equal(rows[1].d.assigned_to, "paul");
	assert_int_equal(rows[1].d.status, td_enum_find(&td_statuses, "triaged"));
	assert_string_equal(rows[1].last_action_at, "2026-12-01T10:00:00Z");
	assert_int_equal(rows[1].country, TD_COUNTRY_LU);
	assert_string_equal(rows[0].d.title, "Atelier vélo");
	/* The plan: the index, then one lookup by rowid per match. */
	char plan[1024];
	assert_int_equal(td_store_list_plan(db, &q, &all, false, plan,
					    sizeof plan, &err), TD_OK);
	if (!strstr(plan, "SEARCH d USING INTEGER PRIMARY KEY") ||
	    strstr(plan, " h ") || strstr(plan, " a "))
		fail_msg("search page plan: %s", plan);
	td_store_close(db);
}

/* A database made by an older release (schema 1, with a dossier in it)
 * is brought to the current schema on open, in one go, data intact. */
static void upgrade_from_v1_keeps_data(void **state)
{
	struct fx *fx = *state;
	old_db(fx, 1, OLD_SITE OLD_HOLDER OLD_DOSSIER);

	td_db *db = NULL;
	td_err err = { 0 };
	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_OK);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	struct td_dossier d;
	assert_int_equal(td_store_dossier_get(db, "MET-2025-0001", &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "Lefèvre");
	assert_int_equal(d.v.needs, 2u);
	/* Migration 15 gave it its list row. */
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM dossier_row"), 1);
	assert_int_equal(row_drift(db->h), 0);
	/* The search index (migration 6: with the site, rebuilt by the
	 * upgrade): found by name, held to its site inside the index, never
	 * by the site code as a word; the tally counts the dossier. */
	struct td_query q;
	struct td_queue_bounds met = { "MET", "", "", "" };
	struct td_queue_bounds nan = { "NAN", "", "", "" };
	struct td_queue_bounds all = { "", "", "", "" };
	long n = -1;
	td_query_init(&q);
	strcpy(q.text, "lefevre");
	assert_int_equal(td_store_list_count(db, &q, &all, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(td_store_list_count(db, &q, &met, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(td_store_list_count(db, &q, &nan, 0, &n, &err), TD_OK);
	assert_int_equal(n, 0);
	strcpy(q.text, "met");
	assert_int_equal(td_store_list_count(db, &q, &all, 0, &n, &err), TD_OK);
	assert_int_equal(n, 0);
	q.text[0] = '\0';
	assert_int_equal(td_store_list_count(db, &q, &met, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	td_store_close(db);
	char report[512];
	assert_int_equal(td_store_open(fx->path, TD_DB_READONLY, &db, &err), TD_OK);
	assert_int_equal(td_store_check(db, report, sizeof report, &err), TD_OK);
	td_store_close(db);
}

/* Migration 7: "not the same person" becomes a decision of one site; the
 * decisions made before keep their site. */
static void upgrade_from_v6_keeps_dismissals(void **state)
{
	struct fx *fx = *state;
	old_db(fx, 6, OLD_SITE OLD_HOLDER
	       "INSERT INTO dup_dismissal(holder_id, evidence, site_code, "
	       "created_by, created_at) VALUES ('MET-H', 42, 'MET', 'marie', "
	       "'2025-02-01T00:00:00Z')");

	td_db *db = NULL;
	td_err err = { 0 };
	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_OK);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM dup_dismissal"
				 " WHERE holder_id = 'MET-H' AND evidence = 42"
				 " AND site_code = 'MET' AND created_by = 'marie'"), 1);
	/* The same decision by another site is a row of its own now. */
	raw_exec(db->h, "INSERT INTO dup_dismissal(holder_id, evidence, site_code, "
		     "created_at) VALUES ('MET-H', 42, 'NAN', 'x')");
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM dup_dismissal"), 2);
	td_store_close(db);
}

/* Migration 8 (issue 14): the field history, the erasure log and the
 * erasure and withdrawal columns arrive empty; the data stays. */
static void upgrade_from_v7_adds_privacy(void **state)
{
	struct fx *fx = *state;
	old_db(fx, 7, OLD_SITE OLD_HOLDER OLD_DOSSIER);

	td_db *db = NULL;
	td_err err = { 0 };
	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_OK);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	struct td_dossier d;
	assert_int_equal(td_store_dossier_get(db, "MET-2025-0001", &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "Lefèvre");
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM field_change"), 0);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM erasure"), 0);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM holder WHERE"
				 " erased_at IS NULL AND consent_withdrawn_at IS NULL"), 1);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM dossier WHERE"
				 " erased_at IS NULL"), 1);
	td_store_close(db);
}

/* Drafts (migration 10): every kind of field round-trips, one draft per
 * login and site, a blank form drops it, and the purge goes by
 * saved_at. */
static void draft_round_trip(void **state)
{
	struct fx *fx = *state;
	td_db *db = open_new(fx);
	td_err err = { 0 };
	struct td_intake rec = { 0 }, back;
	char started[TD_TIME_SIZE];
	bool found;

	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	snprintf(rec.last_name, sizeof rec.last_name, "Lefèvre");
	snprintf(rec.description, sizeof rec.description, "a; b | c");
	td_field_set_code(&rec, TD_F_STAGE, "seed");
	td_field_set_code(&rec, TD_F_NEEDS, "funding|hosting");
	td_field_set_code(&rec, TD_F_CONSENT, "1");
	assert_int_equal(td_store_draft_put(db, "marie", "MET", "", &rec, &err),
			 TD_OK);
	setenv("TOTEMDESK_NOW", "2026-11-23T10:05:00Z", 1);
	/* Again: the start stays, the values are replaced. */
	snprintf(rec.first_name, sizeof rec.first_name, "Zoé");
	assert_int_equal(td_store_draft_put(db, "marie", "MET",
					    "2026-11-23T09:00:00Z", &rec, &err),
			 TD_OK);
	assert_int_equal(td_store_draft_get(db, "marie", "MET", &back, started,
					    &found, &err), TD_OK);
	assert_true(found);
	assert_string_equal(started, "2026-11-23T10:00:00Z");
	assert_memory_equal(&back, &rec, sizeof rec);
	/* Another site, another login: none. */
	assert_int_equal(td_store_draft_get(db, "marie", "NAN", &back, started,
					    &found, &err), TD_OK);
	assert_false(found);
	assert_int_equal(td_store_draft_get(db, "paul", "MET", &back, started,
					    &found, &err), TD_OK);
	assert_false(found);
	/* Purge by saved_at (10:05). */
	int n = -1;
	assert_int_equal(td_store_draft_purge(db, "2026-11-23T10:05:00Z", &n,
					      &err), TD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(td_store_draft_purge(db, "2026-11-23T10:06:00Z", &n,
					      &err), TD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM draft_field"), 0);
	/* A blank form drops the draft. */
	assert_int_equal(td_store_draft_put(db, "marie", "MET", "", &rec, &err),
			 TD_OK);
	memset(&rec, 0, sizeof rec);
	assert_int_equal(td_store_draft_put(db, "marie", "MET", "", &rec, &err),
			 TD_OK);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM draft"), 0);
	unsetenv("TOTEMDESK_NOW");
	td_store_close(db);
}

/* Migration 11 (issue 14 point 5): the audit log stays append-only
 * except for the purge's gate: an entry older than a cutoff written in
 * audit_purge, within that transaction. */
static void upgrade_from_v10_audit_gate(void **state)
{
	struct fx *fx = *state;
	old_db(fx, 10, "INSERT INTO audit(at, actor, action) VALUES"
	       " ('2019-01-01T00:00:00Z', 'a', 'x'),"
	       " ('2026-01-01T00:00:00Z', 'a', 'y')");

	td_db *db = NULL;
	td_err err = { 0 };
	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_OK);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	/* Written behind the store's back on purpose: not the suite's
	 * capture check's business (store_int.h). */
	db->capture_check = false;
	assert_int_not_equal(sqlite3_exec(db->h, "DELETE FROM audit", NULL,
					  NULL, NULL), SQLITE_OK);
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM audit"), 2);
	raw_exec(db->h, "BEGIN; INSERT INTO audit_purge VALUES ('2020-01-01T00:00:00Z');"
		 " DELETE FROM audit WHERE at < '2020-01-01T00:00:00Z';"
		 " DELETE FROM audit_purge; COMMIT");
	assert_int_equal(raw_int(db->h, "SELECT count(*) FROM audit"), 1);
	td_store_close(db);
}

/* Migration 13: every holder registered before has a country, France;
 * the search index knows it by name, and an edited country is found. */
static void upgrade_from_v12_makes_holders_french(void **state)
{
	struct fx *fx = *state;
	old_db(fx, 12, OLD_SITE
	       "INSERT INTO holder(id, site_code, last_name, first_name, consent, "
	       "postcode, created_at, updated_at) VALUES ('MET-H', 'MET', 'Lefèvre', "
	       "'Zoé', 1, 'L-4362', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
	       OLD_DOSSIER);

	td_db *db = NULL;
	td_err err = { 0 };
	struct td_dossier d;
	struct td_query q;
	struct td_queue_bounds all = { "", "", "", "" };
	long n = -1;
	assert_int_equal(td_store_open(fx->path, 0, &db, &err), TD_OK);
	assert_int_equal(td_store_schema_version(db), TD_SCHEMA_VERSION);
	assert_int_equal(td_store_dossier_get(db, "MET-2025-0001", &d, &err), TD_OK);
	assert_int_equal(d.v.country, TD_COUNTRY_FR);
	assert_string_equal(d.v.postcode, "L-4362");
	td_query_init(&q);
	strcpy(q.text, "france");
	assert_int_equal(td_store_list_count(db, &q, &all, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	strcpy(q.text, "luxemburg");
	assert_int_equal(td_store_list_count(db, &q, &all, 0, &n, &err), TD_OK);
	assert_int_equal(n, 0);
	db->capture_check = false;	/* behind the store's back, on purpose */
	raw_exec(db->h, "UPDATE holder SET country = 'LU'");
	assert_int_equal(td_store_list_count(db, &q, &all, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	td_store_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fresh_create, setup, teardown),
		cmocka_unit_test_setup_teardown(fts_keeps_prefix_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(upgrade_from_v12_makes_holders_french, setup, teardown),
		cmocka_unit_test_setup_teardown(dossier_row_follows_every_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(upgrade_from_v1_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(upgrade_from_v6_keeps_dismissals, setup, teardown),
		cmocka_unit_test_setup_teardown(upgrade_from_v7_adds_privacy, setup, teardown),
		cmocka_unit_test_setup_teardown(upgrade_from_v10_audit_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(draft_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(disk_full_is_reported_and_harmless, setup, teardown),
		cmocka_unit_test_setup_teardown(umask_277_still_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(too_new_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(foreign_db_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(not_sqlite_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(readonly_mode, setup, teardown),
		cmocka_unit_test(ids_and_now),
		cmocka_unit_test_setup_teardown(audit_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(reference_counter, setup, teardown),
		cmocka_unit_test_setup_teardown(sites_users_partners, setup, teardown),
		cmocka_unit_test_setup_teardown(insert_get_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(insert_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(page_count_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(timeline_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(trial_records_nothing_and_cannot_commit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(busy_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(change_detection, setup, teardown),
		cmocka_unit_test_setup_teardown(check_finds_orphans, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
