/* The multi-site exchange's bundles (issue 15; docs/sync.md).
 *
 * A bundle is a text header, then the body:
 *
 *   TOTEMDESK-BUNDLE 1
 *   network <first 16 hex digits of SHA-256 of the network key>
 *   site <source site>
 *   db <source database id>
 *   schema <the source's exchange schema (TD_EXCHANGE_SCHEMA)>
 *   bundle <number of this bundle at the source>
 *   to <destination site>
 *   range <number of changes> <first seq> <last seq> (of the source's own)
 *   ack <origin> <seq>            (what the source has applied; repeated)
 *   body <bytes>
 *   sha256 <hex of the body>
 *   hmac <hex of HMAC-SHA-256, by the network key, of all the lines
 *         above and the body>
 *   <empty line>
 *   <body: the changes, length-prefixed>
 *
 * Everything is checked before anything is applied; the changes are
 * applied in one transaction. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/buf.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/privilege.h"
#include "totemdesk/sync.h"
#include "store/store.h"
#include "store/privacy.h"
#include "store/sync.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_BUNDLE (1024L * 1024 * 1024)
#define MAX_ACKS 256

/* A td_buf that remembers its first failed append: the bundle is built
 * by many small appends and checked once at the end. */
struct sink {
	struct td_buf b;
	int rc;
};
#define SINK_INIT { { (char *)"", 0, 0 }, TD_OK }	/* as td_buf_init */

static void put(struct sink *s, const void *p, size_t n)
{
	if (!s->rc)
		s->rc = td_buf_append(&s->b, p, n);
}

static void put_u32(struct sink *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };
	put(b, x, 4);
}

static void put_bytes(struct sink *b, const void *p, size_t n)
{
	put_u32(b, (uint32_t)n);
	put(b, p, n);
}

static void put_line(struct sink *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put_line(struct sink *b, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned len = 0;
	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	hex(md, 32, out);
}

/* ---- the network key ------------------------------------------------------ */

void td_app_sync_key_path(const struct td_app *app, char *path, size_t n)
{
	const char *slash = strrchr(app->db_path, '/');
	if (slash)
		snprintf(path, n, "%.*s/totemdesk-sync.key",
			 (int)(slash - app->db_path), app->db_path);
	else
		snprintf(path, n, "totemdesk-sync.key");
}

struct key {
	unsigned char k[256];
	size_t n;
	char network[17];
};

static int read_key(const struct td_app *app, struct key *key, td_err *err)
{
	char path[4096];
	struct stat sb;

	td_app_sync_key_path(app, path, sizeof path);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return td_err_set(err, TD_ECONFIG,
			_("cannot read the network key %s: %s; copy the network's key file there (mode 0600), or make the first one with: (umask 077; openssl rand -hex 32 > %s)"),
			path, strerror(errno), path);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return td_err_set(err, TD_ECONFIG,
			_("the network key %s is not a regular file"), path);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return td_err_set(err, TD_ECONFIG,
			_("the network key %s can be read by others (mode %04o); it must be mode 0600: chmod 600 %s"),
			path, (unsigned)(sb.st_mode & 07777), path);
	}
	ssize_t r = read(fd, key->k, sizeof key->k);
	close(fd);
	while (r > 0 && (key->k[r - 1] == '\n' || key->k[r - 1] == ' ' ||
			 key->k[r - 1] == '\r'))
		r--;
	if (r < 32)
		return td_err_set(err, TD_ECONFIG,
			_("the network key %s is too short (at least 32 characters); make it with: openssl rand -hex 32"),
			path);
	key->n = (size_t)r;
	/* The network: the sites of the configuration, which every site of
	 * one network shares.  Another organisation's bundle is told apart
	 * from a wrong or stolen key (the HMAC). */
	struct sink b = SINK_INIT;
	put(&b, "totemdesk network\n", 18);
	for (size_t i = 0; i < app->cfg.nsites; i++) {
		put(&b, app->cfg.sites[i].code, strlen(app->cfg.sites[i].code));
		const char *end = app->cfg.sites[i].coordination ? "*\n" : "\n";
		put(&b, end, strlen(end));
	}
	char h[65];
	if (b.rc)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	sha256_hex(b.b.data, b.b.len, h);
	OPENSSL_cleanse(b.b.data, b.b.len);
	td_buf_free(&b.b);
	memcpy(key->network, h, 16);
	key->network[16] = '\0';
	return TD_OK;
}

static void mac_hex(const struct key *key, const void *p, size_t n,
		    char out[65])
{
	unsigned char md[32];
	unsigned len = 0;
	HMAC(EVP_sha256(), key->k, (int)key->n, p, n, md, &len);
	hex(md, 32, out);
}

/* ---- export ----------------------------------------------------------------- */

static int coordination_site(const struct td_app *app, const char **out)
{
	*out = NULL;
	for (size_t i = 0; i < app->cfg.nsites; i++)
		if (app->cfg.sites[i].coordination)
			*out = app->cfg.sites[i].code;
	return *out ? TD_OK : TD_ENOTFOUND;
}

static bool site_known(const struct td_app *app, const char *code)
{
	return td_config_site(&app->cfg, code) != NULL;
}

struct collect {
	struct sink body;
	long count;
	long long first, last;
	const char *self;
};

static int collect_one(const struct td_sync_change *c, void *ctx)
{
	struct collect *k = ctx;
	put_bytes(&k->body, c->origin, strlen(c->origin));
	put_u32(&k->body, (uint32_t)((uint64_t)c->seq >> 32));
	put_u32(&k->body, (uint32_t)c->seq);
	put_bytes(&k->body, c->site ? c->site : "", c->site ? strlen(c->site) : 0);
	put_bytes(&k->body, c->at ? c->at : "", c->at ? strlen(c->at) : 0);
	put_bytes(&k->body, c->changes, c->nchanges);
	put_bytes(&k->body, c->logs, c->nlogs);
	k->count++;
	if (!strcmp(c->origin, k->self)) {
		if (!k->first)
			k->first = c->seq;
		k->last = c->seq;
	}
	return k->body.rc ? TD_ENOMEM : TD_OK;
}

static int ack_line(const char *origin, long long seq, void *ctx)
{
	put_line(ctx, "ack %s %lld\n", origin, seq);
	return TD_OK;
}

static int check_peer(struct td_app *app, const char **to, td_err *err)
{
	if (!*to && coordination_site(app, to))
		return td_err_set(err, TD_ECONFIG,
			_("no coordination site in the configuration; name the peer with --to SITE"));
	if (!site_known(app, *to))
		return td_err_set(err, TD_ECONFIG,
			_("site \"%s\" is not in the configuration's sites"), *to);
	if (!strcmp(*to, app->cfg.site))
		return td_err_set(err, TD_ECONFIG,
			_("%s is this installation's own site; name another site with --to SITE"),
			*to);
	return TD_OK;
}

/* The whole bundle for the peer, in b. */
static int make_bundle(struct td_app *app, const char *to, struct sink *b,
		       struct td_sync_summary *s, td_err *err)
{
	struct key key;
	char id[64], site[8], now[TD_TIME_SIZE], h[65];
	long long number = 0;
	int rc;

	memset(s, 0, sizeof *s);
	if ((rc = td_app_may_sync(app, err)) || (rc = check_peer(app, &to, err)) ||
	    (rc = read_key(app, &key, err)))
		return rc;
	if ((rc = td_store_sync_self(app->db, app->cfg.site, id, site, err)))
		return rc;
	struct collect k = { .body = SINK_INIT, .self = id };
	rc = td_store_sync_each_pending(app->db, to, collect_one, &k, err);
	if (!rc && k.body.rc)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	td_store_now(now);
	if (!rc && !(rc = td_store_begin(app->db, err))) {
		rc = td_store_sync_peer_out(app->db, to, now, &number, err);
		rc = rc ? (td_store_rollback(app->db), rc)
			: td_store_commit(app->db, err);
	}
	if (rc) {
		td_buf_free(&k.body.b);
		return rc;
	}
	size_t start = b->b.len;	/* a request line may come before (push) */
	put_line(b, "TOTEMDESK-BUNDLE %d\n", TD_SYNC_FORMAT);
	put_line(b, "network %s\n", key.network);
	put_line(b, "site %s\n", site);
	put_line(b, "db %s\n", id);
	/* The last version that changed the exchanged tables, not the
	 * file's (which an open for writing brought up to this program's):
	 * a site not upgraded past a local migration takes it. */
	put_line(b, "schema %d\n", TD_EXCHANGE_SCHEMA);
	put_line(b, "bundle %lld\n", number);
	put_line(b, "to %s\n", to);
	put_line(b, "range %ld %lld %lld\n", k.count, k.first, k.last);
	rc = td_store_sync_each_applied(app->db, ack_line, b, err);
	put_line(b, "body %zu\n", k.body.b.len);
	sha256_hex(k.body.b.data, k.body.b.len, h);
	put_line(b, "sha256 %s\n", h);
	/* The MAC covers the header so far and the body. */
	size_t hn = b->b.len;
	put(b, k.body.b.data, k.body.b.len);
	if (!b->rc) {
		mac_hex(&key, b->b.data + start, b->b.len - start, h);
		b->b.len = hn;
		put_line(b, "hmac %s\n\n", h);
		put(b, k.body.b.data, k.body.b.len);
	}
	OPENSSL_cleanse(&key, sizeof key);
	td_buf_free(&k.body.b);
	if (!rc && b->rc)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	snprintf(s->peer, sizeof s->peer, "%s", to);
	s->entries = k.count;
	s->bundle = number;
	s->bytes = (long)(b->b.len - start);
	return rc;
}

int td_app_sync_export(struct td_app *app, const char *path,
		       const char *to_site, bool force,
		       struct td_sync_summary *s, td_err *err)
{
	struct sink b = SINK_INIT;
	struct stat st;
	int rc;

	/* Refused before the bundle is numbered (td_outfile_write would
	 * refuse it too, after the number was taken). */
	if (!force && td_priv_user_begin(NULL) == TD_OK) {
		bool exists = lstat(path, &st) == 0;
		td_priv_user_end();
		if (exists)
			return td_err_set(err, TD_EEXIST,
				_("%s already exists; choose another name, or use --force to replace it"),
				path);
	}
	rc = make_bundle(app, to_site, &b, s, err);
	if (!rc)
		rc = td_outfile_write(path, b.b.data, b.b.len,
				      force ? TD_OUT_FORCE : 0, err);
	td_buf_free(&b.b);
	return rc;
}

int td_app_sync_export_stream(struct td_app *app, FILE *out,
			      const char *to_site, struct td_sync_summary *s,
			      td_err *err)
{
	struct sink b = SINK_INIT;
	int rc = make_bundle(app, to_site, &b, s, err);
	if (!rc && (fwrite(b.b.data, 1, b.b.len, out) != b.b.len ||
		    fflush(out) != 0))
		rc = td_err_set(err, TD_EIO, _("cannot send the bundle: %s"),
				strerror(errno));
	td_buf_free(&b.b);
	return rc;
}

/* ---- import ------------------------------------------------------------------ */

struct header {
	int format;
	char network[40], site[8], db[64], to[8], sha[72], mac[72];
	long long schema, bundle, body;
	long count;
	int nacks;
	struct { char origin[64]; long long seq; } acks[MAX_ACKS];
	size_t mac_at;		/* where the hmac line starts */
	size_t body_at;
};

static int refuse(td_err *err, const char *why)
{
	return td_err_set(err, TD_EINVAL, _("bundle refused, nothing applied: %s"),
			  why);
}

static bool word_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int parse_header(const unsigned char *p, size_t n, struct header *h,
			td_err *err)
{
	size_t at = 0;
	char msg[256];
	memset(h, 0, sizeof *h);
	if (n < 17 || memcmp(p, "TOTEMDESK-BUNDLE ", 17) != 0)
		return refuse(err, _("this is not a totemdesk bundle"));
	for (;;) {
		const unsigned char *nl = memchr(p + at, '\n', n - at);
		if (!nl)
			return refuse(err, _("it is truncated (its header is cut short)"));
		size_t len = (size_t)(nl - (p + at));
		char line[512];
		if (len == 0) {
			h->body_at = at + 1;
			break;
		}
		if (len >= sizeof line)
			return refuse(err, _("its header is damaged"));
		memcpy(line, p + at, len);
		line[len] = '\0';
		if (!strncmp(line, "hmac ", 5))
			h->mac_at = at;
		at += len + 1;
		char a[80] = "", b2[80] = "";
		long long x = 0, y = 0, z = 0;
		if (sscanf(line, "TOTEMDESK-BUNDLE %d", &h->format) == 1) {
			if (h->format != TD_SYNC_FORMAT) {
				snprintf(msg, sizeof msg,
					 _("it is in format %d; this totemdesk reads format %d: upgrade totemdesk at both ends"),
					 h->format, TD_SYNC_FORMAT);
				return refuse(err, msg);
			}
		} else if (sscanf(line, "network %39s", h->network) == 1 ||
			   sscanf(line, "site %7s", h->site) == 1 ||
			   sscanf(line, "db %63s", h->db) == 1 ||
			   sscanf(line, "to %7s", h->to) == 1 ||
			   sscanf(line, "sha256 %71s", h->sha) == 1 ||
			   sscanf(line, "hmac %71s", h->mac) == 1 ||
			   sscanf(line, "schema %lld", &h->schema) == 1 ||
			   sscanf(line, "bundle %lld", &h->bundle) == 1 ||
			   sscanf(line, "body %lld", &h->body) == 1) {
			continue;
		} else if (sscanf(line, "range %lld %lld %lld", &x, &y, &z) == 3) {
			h->count = (long)x;
		} else if (sscanf(line, "ack %79s %79s", a, b2) == 2) {
			if (h->nacks >= MAX_ACKS || strlen(a) >= 64 || !word_ok(a))
				return refuse(err, _("its header is damaged"));
			snprintf(h->acks[h->nacks].origin, 64, "%s", a);
			h->acks[h->nacks++].seq = atoll(b2);
		} else {
			return refuse(err, _("its header is damaged"));
		}
	}
	if (!h->format || !h->network[0] || !h->site[0] || !h->db[0] ||
	    !h->sha[0] || !h->mac[0] || !h->bundle || !h->mac_at ||
	    !word_ok(h->site) || !word_ok(h->db) || !word_ok(h->to))
		return refuse(err, _("its header is incomplete or damaged"));
	return TD_OK;
}

struct reader {
	const unsigned char *p;
	size_t n, at;
	bool bad;
};

static const unsigned char *take(struct reader *r, size_t n)
{
	if (r->bad || r->n - r->at < n) {
		r->bad = true;
		return NULL;
	}
	r->at += n;
	return r->p + r->at - n;
}

static uint32_t take_u32(struct reader *r)
{
	const unsigned char *x = take(r, 4);
	return x ? (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 |
		   (uint32_t)x[2] << 8 | x[3] : 0;
}

/* A length-prefixed field, NUL-terminated in tmp when text. */
static const unsigned char *take_bytes(struct reader *r, size_t *n)
{
	*n = take_u32(r);
	return take(r, *n);
}

static bool take_text(struct reader *r, char *out, size_t outsz)
{
	size_t n;
	const unsigned char *p = take_bytes(r, &n);
	if (!p || n >= outsz)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return word_ok(out) || strchr(out, ':');
}

int td_app_sync_import_bytes(struct td_app *app, const void *data, size_t n,
			     struct td_sync_summary *s, td_err *err)
{
	const unsigned char *p = data;
	struct header *h = calloc(1, sizeof *h);
	struct key key;
	char msg[512], sum[65], now[TD_TIME_SIZE], id[64], site[8];
	int rc;

	memset(s, 0, sizeof *s);
	if (!h)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	if ((rc = td_app_may_sync(app, err)) || (rc = read_key(app, &key, err)) ||
	    (rc = td_store_sync_self(app->db, app->cfg.site, id, site, err)) ||
	    (rc = parse_header(p, n, h, err)))
		goto out;
	if ((size_t)h->body > n - h->body_at) {
		snprintf(msg, sizeof msg,
			 _("it is truncated: %zu bytes of changes where it announces %lld"),
			 n - h->body_at, h->body);
		rc = refuse(err, msg);
		goto out;
	}
	if ((size_t)h->body < n - h->body_at) {
		rc = refuse(err, _("it is damaged: there are bytes after its end"));
		goto out;
	}
	if (strcmp(h->network, key.network) != 0) {
		snprintf(msg, sizeof msg,
			 _("it comes from another network (network %s; this one is %s): the sites of one network share one key file"),
			 h->network, key.network);
		rc = refuse(err, msg);
		goto out;
	}
	if (h->schema > td_store_schema_version(app->db)) {
		snprintf(msg, sizeof msg,
			 _("it was made by a newer totemdesk (schema %lld; this database has %d): upgrade totemdesk here first"),
			 h->schema, td_store_schema_version(app->db));
		rc = refuse(err, msg);
		goto out;
	}
	sha256_hex(p + h->body_at, (size_t)h->body, sum);
	if (strcmp(sum, h->sha) != 0) {
		rc = refuse(err, _("it is damaged or was tampered with (the SHA-256 of its changes does not match)"));
		goto out;
	}
	{
		/* The MAC of the header before its hmac line, and the body. */
		struct sink m = SINK_INIT;
		put(&m, p, h->mac_at);
		put(&m, p + h->body_at, (size_t)h->body);
		if (m.rc) {
			td_buf_free(&m.b);
			rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
			goto out;
		}
		mac_hex(&key, m.b.data, m.b.len, sum);
		td_buf_free(&m.b);
		if (CRYPTO_memcmp(sum, h->mac, 64) != 0 || strlen(h->mac) != 64) {
			rc = refuse(err, _("its signature does not match this network's key: it was tampered with, or signed with another key"));
			goto out;
		}
	}
	if (!strcmp(h->db, id) || !strcmp(h->site, site)) {
		rc = refuse(err, _("it was made by this site's own database"));
		goto out;
	}
	if (h->to[0] && site[0] && strcmp(h->to, site) != 0) {
		snprintf(msg, sizeof msg,
			 _("it is addressed to %s, not to this site (%s)"), h->to,
			 site);
		rc = refuse(err, msg);
		goto out;
	}
	long long last = 0;
	bool new_db = false;
	if ((rc = td_store_sync_peer_last(app->db, h->site, h->db, &last,
					  &new_db, err)))
		goto out;
	if (h->bundle <= last) {
		snprintf(msg, sizeof msg,
			 _("it was imported already (bundle %lld of %s; the last one imported was %lld): a replayed or older bundle; ask %s for a new one"),
			 h->bundle, h->site, last, h->site);
		rc = refuse(err, msg);
		goto out;
	}

	/* Checked: apply it all in one transaction. */
	td_store_now(now);
	struct td_sync_result res = { 0 };
	if ((rc = td_store_sync_apply_begin(app->db, err)))
		goto out;
	/* A new database at that site (restored from a backup): what its
	 * predecessor acknowledged may be missing from it; its bundle's
	 * acknowledgements say what it has. */
	if (new_db)
		rc = td_store_sync_peer_forget_acks(app->db, h->site, err);
	struct reader r = { p + h->body_at, (size_t)h->body, 0, false };
	long count = 0;
	while (!rc && r.at < r.n) {
		char origin[64], csite[8], at[32];
		struct td_sync_change c = { 0 };
		size_t nc = 0, nl = 0;
		if (!take_text(&r, origin, sizeof origin)) {
			r.bad = true;
			break;
		}
		uint64_t seq = (uint64_t)take_u32(&r) << 32;
		seq |= take_u32(&r);
		if (!take_text(&r, csite, sizeof csite) ||
		    !take_text(&r, at, sizeof at)) {
			r.bad = true;
			break;
		}
		c.changes = take_bytes(&r, &nc);
		c.logs = take_bytes(&r, &nl);
		if (r.bad)
			break;
		c.origin = origin;
		c.seq = (long long)seq;
		c.site = csite;
		c.at = at;
		c.nchanges = nc;
		c.nlogs = nl;
		c.schema = (int)h->schema;
		rc = td_store_sync_apply(app->db, &c, now, &res, err);
		/* The source has what it sent. */
		if (!rc)
			rc = td_store_sync_ack(app->db, h->site, origin,
					       (long long)seq, err);
		count++;
	}
	if (!rc && (r.bad || count != h->count))
		rc = refuse(err, _("its changes cannot be read"));
	for (int i = 0; !rc && i < h->nacks; i++)
		rc = td_store_sync_ack(app->db, h->site, h->acks[i].origin,
				       h->acks[i].seq, err);
	if (!rc)
		rc = td_store_sync_peer_in(app->db, h->site, h->db, h->bundle,
					   now, err);
	rc = td_store_sync_apply_end(app->db, rc, err);
	if (!rc && res.erasures) {
		/* As after an erasure here: the old pages leave the -wal. */
		td_err werr = { 0 };
		td_store_wal_truncate(app->db, &werr);
	}
	if (!rc) {
		snprintf(s->peer, sizeof s->peer, "%s", h->site);
		s->entries = count;
		s->applied = res.applied;
		s->skipped = res.skipped;
		s->gaps = res.gaps;
		s->conflicts = res.conflicts;
		s->bundle = h->bundle;
		s->bytes = (long)n;
		s->new_db = new_db;
	}
out:
	OPENSSL_cleanse(&key, sizeof key);
	free(h);
	return rc;
}

int td_app_sync_import(struct td_app *app, const char *path,
		       struct td_sync_summary *s, td_err *err)
{
	/* Read with the user's own rights (a set-group-ID desk must not read
	 * the group's files, the database or the key, for them). */
	FILE *f = td_priv_fopen_read(path);
	struct sink b = SINK_INIT;
	char chunk[65536];
	size_t got;
	int rc;

	if (!f)
		return td_err_set(err, TD_EIO, _("cannot read the bundle %s: %s"),
				  path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && !b.rc &&
	       b.b.len < (size_t)MAX_BUNDLE)
		put(&b, chunk, got);
	bool bad = ferror(f);
	fclose(f);
	if (bad)
		rc = td_err_set(err, TD_EIO, _("cannot read the bundle %s"), path);
	else if (b.rc || b.b.len >= (size_t)MAX_BUNDLE)
		rc = td_err_set(err, TD_ENOMEM,
				_("the bundle %s is too large to read"), path);
	else
		rc = td_app_sync_import_bytes(app, b.b.data, b.b.len, s, err);
	td_buf_free(&b.b);
	return rc;
}

/* ---- status, conflicts, content hash ------------------------------------------ */

static int status_peer(const struct td_sync_peer *p, void *ctx)
{
	FILE *out = ctx;
	fprintf(out, _("%s: last received %s, last sent %s, %lld changes not acknowledged\n"),
		p->site, p->last_in[0] ? p->last_in : _("never"),
		p->last_out[0] ? p->last_out : _("never"), p->pending);
	return TD_OK;
}

int td_app_sync_status(struct td_app *app, FILE *out, td_err *err)
{
	char id[64], site[8];
	long long n = 0, pend = 0;
	const char *coo = NULL;
	int rc;

	if ((rc = td_app_may_sync(app, err)) ||
	    (rc = td_store_sync_self(app->db, app->cfg.site, id, site, err)))
		return rc;
	fprintf(out, _("this database: site %s, id %s\n"), site, id);
	if (!coordination_site(app, &coo) && strcmp(coo, site) &&
	    !(rc = td_store_sync_pending_count(app->db, coo, &pend, err)))
		fprintf(out, _("to the coordination office (%s): %lld changes not acknowledged\n"),
			coo, pend);
	if (!rc)
		rc = td_store_sync_peers(app->db, status_peer, out, err);
	if (!rc)
		rc = td_store_sync_conflict_count(app->db, &n, err);
	if (!rc)
		fprintf(out, _("unresolved conflicts: %lld\n"), n);
	return rc;
}

struct conflict_pass {
	int (*cb)(const struct td_sync_conflict_view *c, void *ctx);
	void *ctx;
};

static int conflict_one(const struct td_sync_conflict *c, void *ctx)
{
	struct conflict_pass *p = ctx;
	struct td_sync_conflict_view v = { .id = c->id, .settled = c->settled };
	snprintf(v.at, sizeof v.at, "%s", c->at);
	snprintf(v.what, sizeof v.what, "%s %s %s", c->tbl, c->row_key, c->col);
	snprintf(v.kept, sizeof v.kept, "%s", c->kept);
	snprintf(v.lost, sizeof v.lost, "%s", c->lost);
	snprintf(v.kept_site, sizeof v.kept_site, "%s", c->kept_site);
	snprintf(v.lost_site, sizeof v.lost_site, "%s", c->lost_site);
	snprintf(v.rule, sizeof v.rule, "%s", c->rule);
	return p->cb(&v, p->ctx);
}

int td_app_sync_conflicts(struct td_app *app,
			  int (*cb)(const struct td_sync_conflict_view *c,
				    void *ctx),
			  void *ctx, td_err *err)
{
	struct conflict_pass p = { cb, ctx };
	int rc = td_app_may_sync(app, err);
	return rc ? rc : td_store_sync_conflicts(app->db, false, conflict_one,
						 &p, err);
}

int td_app_sync_settle(struct td_app *app, long long id, td_err *err)
{
	char now[TD_TIME_SIZE];
	int rc = td_app_may_sync(app, err);
	if (rc)
		return rc;
	td_store_now(now);
	return td_store_sync_settle(app->db, id, app->login, now, err);
}

static int hash_piece(const void *p, size_t n, void *ctx)
{
	return EVP_DigestUpdate(ctx, p, n) == 1 ? TD_OK : TD_EIO;
}

int td_app_sync_content_hash(struct td_app *app, char out[65], td_err *err)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char h[32];
	unsigned len = 0;
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	}
	int rc = td_store_sync_canonical(app->db, hash_piece, md, err);
	if (!rc)
		EVP_DigestFinal_ex(md, h, &len);
	EVP_MD_CTX_free(md);
	if (!rc)
		hex(h, 32, out);
	return rc;
}

/* ---- over ssh: push, pull, serve ------------------------------------------------ */

#define SERVE_HELLO "totemdesk-sync 1 "

/* Read all of fd (up to MAX_BUNDLE) into b. */
static int slurp(int fd, struct sink *b, td_err *err)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return td_err_set(err, TD_EIO, _("cannot read from the other site: %s"),
					  strerror(errno));
		if (n == 0)
			break;
		put(b, chunk, (size_t)n);
		if (b->rc || b->b.len > (size_t)MAX_BUNDLE)
			return td_err_set(err, TD_ENOMEM,
					  _("the other site sent too much"));
	}
	return TD_OK;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The site's side of the ssh key's forced command: one request on
 * standard input ("push" then a bundle, or "pull"), the answer on
 * standard output.  peer: the site the key belongs to (the forced
 * command says it; a bundle of another site is refused). */
int td_app_sync_serve(struct td_app *app, const char *peer, int in, int out,
		      td_err *err)
{
	struct sink b = SINK_INIT;
	int rc = td_app_may_sync(app, err);
	char line[512];

	if (!rc && !site_known(app, peer))
		rc = td_err_set(err, TD_ECONFIG,
			_("site \"%s\" is not in the configuration's sites"), peer);
	if (!rc)
		rc = slurp(in, &b, err);
	const char *nl = !rc && b.b.data ? memchr(b.b.data, '\n', b.b.len) : NULL;
	size_t hl = nl ? (size_t)(nl - (const char *)b.b.data) + 1 : 0;
	if (!rc && (!nl || hl <= strlen(SERVE_HELLO) ||
		    memcmp(b.b.data, SERVE_HELLO, strlen(SERVE_HELLO))))
		rc = td_err_set(err, TD_EINVAL,
			_("not a totemdesk exchange request"));
	if (!rc && !memcmp(b.b.data + strlen(SERVE_HELLO), "push\n", 5)) {
		struct td_sync_summary s;
		/* The bundle must be the key's own site's. */
		const char *site = (const char *)b.b.data + hl;
		char want[16];
		snprintf(want, sizeof want, "\nsite %s\n", peer);
		const char *end = memmem(site, b.b.len - hl, "\n\n", 2);
		if (!end || !memmem(site, (size_t)(end - site) + 1, want,
				    strlen(want)))
			rc = td_err_set(err, TD_EPERM,
				_("bundle refused, nothing applied: this key is %s's and the bundle is not from %s"),
				peer, peer);
		if (!rc)
			rc = td_app_sync_import_bytes(app, b.b.data + hl,
						      b.b.len - hl, &s,
						      err);
		if (!rc) {
			snprintf(line, sizeof line, "ok %ld %ld %ld %ld\n",
				 s.applied, s.skipped, s.gaps, s.conflicts);
			write_all(out, line, strlen(line));
		}
	} else if (!rc && !memcmp(b.b.data + strlen(SERVE_HELLO), "pull\n", 5)) {
		struct sink bundle = SINK_INIT;
		struct td_sync_summary s;
		rc = make_bundle(app, peer, &bundle, &s, err);
		if (!rc && (write_all(out, "ok\n", 3) ||
			    write_all(out, bundle.b.data, bundle.b.len)))
			rc = td_err_set(err, TD_EIO, _("cannot send the bundle: %s"),
					strerror(errno));
		td_buf_free(&bundle.b);
	} else if (!rc) {
		rc = td_err_set(err, TD_EINVAL,
			_("not a totemdesk exchange request"));
	}
	if (rc) {
		/* One line the other side shows as it is. */
		snprintf(line, sizeof line, "error %.500s\n", err ? err->msg : "");
		for (char *p = line + 6; *p && p[1]; p++)
			if ((unsigned char)*p < 32)
				*p = ' ';
		write_all(out, line, strlen(line));
	}
	td_buf_free(&b.b);
	return rc;
}

/* Run ssh HOST with the request on its standard input; its standard
 * output in reply. */
static int ssh_exchange(const char *host, const char *ssh_config,
			const struct sink *request, struct sink *reply,
			td_err *err)
{
	int to[2], from[2];
	const char *argv[12];
	int n = 0;

	if (!host || !*host || host[0] == '-')
		return td_err_set(err, TD_EINVAL,
			_("\"%s\" is not a host name"), host ? host : "");
	argv[n++] = "ssh";
	if (ssh_config) {
		argv[n++] = "-F";
		argv[n++] = ssh_config;
	}
	argv[n++] = "-o";
	argv[n++] = "BatchMode=yes";
	argv[n++] = "-T";
	argv[n++] = "--";
	argv[n++] = host;
	argv[n++] = "totemdesk sync serve";
	argv[n] = NULL;
	if (pipe2(to, O_CLOEXEC) != 0)
		return td_err_set(err, TD_EIO, "pipe: %s", strerror(errno));
	if (pipe2(from, O_CLOEXEC) != 0) {
		close(to[0]);
		close(to[1]);
		return td_err_set(err, TD_EIO, "pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(to[0]), close(to[1]), close(from[0]), close(from[1]);
		return td_err_set(err, TD_EIO, "fork: %s", strerror(e));
	}
	if (pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		execvp("ssh", (char *const *)argv);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int wrc = write_all(to[1], request->b.data, request->b.len);
	close(to[1]);
	int rc = slurp(from[0], reply, err);
	close(from[0]);
	signal(SIGPIPE, old);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!rc && reply->b.len == 0)
		rc = td_err_set(err, TD_EIO,
			_("no answer from %s over ssh (ssh exit status %d): check the host, the key and that its forced command is totemdesk sync serve"),
			host, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	(void)wrc;
	return rc;
}

/* The reply's first line: "ok ..." or "error MESSAGE". */
static int reply_status(const char *host, const struct sink *reply,
			size_t *body, td_err *err)
{
	const char *nl = memchr(reply->b.data, '\n', reply->b.len);
	if (!nl)
		return td_err_set(err, TD_EIO, _("%s answered something else than totemdesk"),
				  host);
	*body = (size_t)(nl - (const char *)reply->b.data) + 1;
	if (!strncmp((const char *)reply->b.data, "ok", 2))
		return TD_OK;
	if (!strncmp((const char *)reply->b.data, "error ", 6)) {
		char msg[400];
		size_t n = (size_t)(nl - (const char *)reply->b.data) - 6;
		if (n >= sizeof msg)
			n = sizeof msg - 1;
		memcpy(msg, reply->b.data + 6, n);
		msg[n] = '\0';
		for (char *p = msg; *p; p++)
			if ((unsigned char)*p < 32 || *p == 127)
				*p = '?';
		return td_err_set(err, TD_EINVAL, _("%s refused: %s"), host, msg);
	}
	return td_err_set(err, TD_EIO, _("%s answered something else than totemdesk"),
			  host);
}

/* One exchange over ssh with the site HOST serves: push sends this
 * database's bundle for it and reads what was applied there; pull asks
 * for its bundle for this site and applies it here. */
static int sync_over_ssh(struct td_app *app, const char *host,
			 const char *site, const char *ssh_config, bool push,
			 struct td_sync_summary *s, td_err *err)
{
	struct sink req = SINK_INIT, reply = SINK_INIT;
	size_t body = 0;
	int rc = TD_OK;

	put(&req, SERVE_HELLO, strlen(SERVE_HELLO));
	put(&req, push ? "push\n" : "pull\n", 5);
	if (push)
		rc = make_bundle(app, site, &req, s, err);
	else if (!(rc = td_app_may_sync(app, err)))
		rc = check_peer(app, &site, err);
	if (!rc)
		rc = ssh_exchange(host, ssh_config, &req, &reply, err);
	if (!rc)
		rc = reply_status(host, &reply, &body, err);
	if (!rc && push)
		sscanf((const char *)reply.b.data, "ok %ld %ld %ld %ld",
		       &s->applied, &s->skipped, &s->gaps, &s->conflicts);
	if (!rc && !push)
		rc = td_app_sync_import_bytes(app, reply.b.data + body,
					      reply.b.len - body, s, err);
	if (!rc && !push && strcmp(s->peer, site))
		rc = td_err_set(err, TD_EINVAL,
			_("%s sent a bundle of %s, not of %s"), host, s->peer,
			site);
	td_buf_free(&req.b);
	td_buf_free(&reply.b);
	return rc;
}

int td_app_sync_push(struct td_app *app, const char *host, const char *to_site,
		     const char *ssh_config, struct td_sync_summary *s,
		     td_err *err)
{
	return sync_over_ssh(app, host, to_site, ssh_config, true, s, err);
}

int td_app_sync_pull(struct td_app *app, const char *host, const char *from_site,
		     const char *ssh_config, struct td_sync_summary *s,
		     td_err *err)
{
	return sync_over_ssh(app, host, from_site, ssh_config, false, s, err);
}
