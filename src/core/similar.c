/* Duplicate scoring and the lookup keys behind it (see similar.h).
 *
 * Names are compared on keys that keep letters and digits only, after
 * accent and case folding, so that "Lefèvre", "LEFEVRE" and "Le Fèvre"
 * meet.  "One typo" is the optimal-string-alignment distance 1 over the
 * whole name (last and first together), and only in a part of which
 * the longer spelling has at least MIN_TYPO_LEN letters: "Léa" / "Léo"
 * and "Brun" / "Brin" are two names, "Cloé" / "Chloé" is a typo. */
#include "totemdesk/similar.h"
#include "totemdesk/text.h"
#include "totemdesk/validate.h"

#include <string.h>

#define MIN_TYPO_LEN 5
#define MAX_CPS 256
#define NAME_SEP '\x1f'
#define KEYBUF 1024

void td_dup_weights_default(struct td_dup_weights *w)
{
	*w = (struct td_dup_weights){
		.email = 90,
		.phone = 80,
		.siret = 80,
		.name_exact = 55,
		.name_typo = 50,
		.name_swap = 50,
		.postcode_same = 20,
		.postcode_differs = 30,
		.title_same = 25,
		.threshold = 50,
	};
}

static bool blank(const char *s)
{
	return !s || !*s;
}

size_t td_dup_name_key(const char *in, char *out, size_t outsz)
{
	char folded[KEYBUF];
	size_t o = 0;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (blank(in))
		return 0;
	size_t len = td_text_fold(in, folded, sizeof folded);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = td_utf8_decode(folded + i, len - i, &cp);
		if (n <= 0) {
			i++;
			continue;
		}
		bool keep = (cp >= '0' && cp <= '9') ||
			    (cp >= 'a' && cp <= 'z') ||
			    (cp >= 0x80 && td_cp_is_letter(cp));
		if (keep && o + (size_t)n < outsz) {
			memcpy(out + o, folded + i, (size_t)n);
			o += (size_t)n;
		}
		i += (size_t)n;
	}
	out[o] = '\0';
	return o;
}

/* Code points of s into cp (at most MAX_CPS); invalid bytes count one. */
static int to_cps(const char *s, uint32_t *cp)
{
	size_t len = strlen(s);
	int n = 0;
	for (size_t i = 0; i < len && n < MAX_CPS;) {
		int k = td_utf8_decode(s + i, len - i, &cp[n]);
		if (k <= 0) {
			cp[n] = (unsigned char)s[i];
			k = 1;
		}
		i += (size_t)k;
		n++;
	}
	return n;
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

int td_dup_distance(const char *a, const char *b, int max)
{
	uint32_t x[MAX_CPS], y[MAX_CPS];
	int rows[3][MAX_CPS + 1];
	int n = to_cps(a ? a : "", x), m = to_cps(b ? b : "", y);

	if (max < 0)
		max = 0;
	if (n - m > max || m - n > max)
		return max + 1;
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (int j = 0; j <= m; j++)
		prev[j] = j;
	for (int i = 1; i <= n; i++) {
		cur[0] = i;
		int best = cur[0];
		for (int j = 1; j <= m; j++) {
			int cost = x[i - 1] == y[j - 1] ? 0 : 1;
			int v = min3(prev[j] + 1, cur[j - 1] + 1,
				     prev[j - 1] + cost);
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] &&
			    x[i - 2] == y[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		/* Every later row only grows from here. */
		if (best > max)
			return max + 1;
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] > max ? max + 1 : prev[m];
}

/* FNV-1a over a tag and the text, then a finaliser (splitmix64) so that
 * near-identical strings spread over the whole index. */
static uint64_t hash_key(char tag, const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = (h ^ (unsigned char)tag) * 0x100000001b3ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static uint64_t hash_str(char tag, const char *s)
{
	return hash_key(tag, s, strlen(s));
}

/* "last<sep>first" from the two name keys; false when either is empty. */
static bool name_pair(const char *last, const char *first, char *out,
		      size_t outsz)
{
	char l[KEYBUF / 2], f[KEYBUF / 2];
	if (!td_dup_name_key(last, l, sizeof l) ||
	    !td_dup_name_key(first, f, sizeof f))
		return false;
	size_t ll = strlen(l), fl = strlen(f);
	if (ll + fl + 2 > outsz)
		return false;
	memcpy(out, l, ll);
	out[ll] = NAME_SEP;
	memcpy(out + ll + 1, f, fl + 1);
	return true;
}

static void email_key(const char *email, char *out, size_t outsz)
{
	td_text_fold(email, out, outsz);
}

/* The company's key (td_company_key): a French company's SIREN, shared
 * by its establishments, or a foreign register number with its kind. */
#define COMPANY_KEY 128

static bool company_of(const char *id, char out[COMPANY_KEY])
{
	if (blank(id))
		return false;
	return td_company_key(id, out, COMPANY_KEY) > 0;
}

static int add_key(uint64_t *keys, int n, int max, uint64_t k)
{
	for (int i = 0; i < n; i++)
		if (keys[i] == k)
			return n;
	if (n < max)
		keys[n++] = k;
	return n;
}

/* The name and its one-deletion variants (never deleting the separator). */
static int add_name_keys(const char *s, uint64_t *keys, int n, int max)
{
	size_t len = strlen(s);
	char buf[KEYBUF];

	n = add_key(keys, n, max, hash_key('n', s, len));
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = td_utf8_decode(s + i, len - i, &cp);
		if (k <= 0)
			k = 1;
		if (s[i] != NAME_SEP) {
			memcpy(buf, s, i);
			memcpy(buf + i, s + i + k, len - i - (size_t)k);
			n = add_key(keys, n, max,
				    hash_key('n', buf, len - (size_t)k));
		}
		i += (size_t)k;
	}
	return n;
}

int td_dup_keys(const struct td_dup_person *p, bool swapped, uint64_t *keys,
		int max)
{
	char buf[KEYBUF], siren[COMPANY_KEY];
	int n = 0;

	if (!blank(p->email)) {
		email_key(p->email, buf, sizeof buf);
		n = add_key(keys, n, max, hash_str('e', buf));
	}
	if (!blank(p->phone))
		n = add_key(keys, n, max, hash_str('p', p->phone));
	if (company_of(p->siret, siren))
		n = add_key(keys, n, max, hash_str('s', siren));
	if (name_pair(p->last_name, p->first_name, buf, sizeof buf))
		n = add_name_keys(buf, keys, n, max);
	if (swapped && name_pair(p->first_name, p->last_name, buf, sizeof buf))
		n = add_name_keys(buf, keys, n, max);
	return n;
}

int td_dup_evidence(const struct td_dup_person *typed, unsigned reasons,
		    uint64_t out[4])
{
	char buf[KEYBUF], siren[COMPANY_KEY];
	int n = 0;

	if ((reasons & TD_DUP_EMAIL) && !blank(typed->email)) {
		email_key(typed->email, buf, sizeof buf);
		out[n++] = hash_str('e', buf);
	}
	if ((reasons & TD_DUP_PHONE) && !blank(typed->phone))
		out[n++] = hash_str('p', typed->phone);
	if ((reasons & TD_DUP_SIRET) && company_of(typed->siret, siren))
		out[n++] = hash_str('s', siren);
	if ((reasons & TD_DUP_NAME_ANY) &&
	    name_pair(typed->last_name, typed->first_name, buf, sizeof buf))
		out[n++] = hash_str('n', buf);
	return n;
}

/* Distance 0 or 1 between two name parts; a typo counts only in a name
 * long enough for one letter not to make another name. */
static int part_distance(const char *a, const char *b)
{
	int d = td_dup_distance(a, b, 1);
	size_t la = td_utf8_count(a), lb = td_utf8_count(b);
	if (d == 1 && (la > lb ? la : lb) < MIN_TYPO_LEN)
		return 2;
	return d;
}

static unsigned name_reason(const struct td_dup_person *t,
			    const struct td_dup_person *k)
{
	char tl[KEYBUF / 2], tf[KEYBUF / 2], kl[KEYBUF / 2], kf[KEYBUF / 2];

	if (!td_dup_name_key(t->last_name, tl, sizeof tl) ||
	    !td_dup_name_key(t->first_name, tf, sizeof tf) ||
	    !td_dup_name_key(k->last_name, kl, sizeof kl) ||
	    !td_dup_name_key(k->first_name, kf, sizeof kf))
		return 0;
	int d = part_distance(tl, kl) + part_distance(tf, kf);
	if (d == 0)
		return TD_DUP_NAME_EXACT;
	if (d == 1)
		return TD_DUP_NAME_TYPO;
	if (part_distance(tl, kf) + part_distance(tf, kl) <= 1)
		return TD_DUP_NAME_SWAP;
	return 0;
}

/* Words that say nothing about a project. */
static bool stop_word(const char *w)
{
	static const char *const stop[] = { "les", "des", "une", "pour",
		"dans", "avec", "sur", "aux", "par", "the", "and", "for",
		"projet", NULL };
	for (const char *const *s = stop; *s; s++)
		if (strcmp(*s, w) == 0)
			return true;
	return false;
}

#define MAX_WORDS 32

/* Distinct folded words of at least three letters. */
static int title_words(const char *title, char words[MAX_WORDS][64])
{
	char f[KEYBUF];
	int n = 0;
	size_t len = td_text_fold(title, f, sizeof f);

	for (size_t i = 0; i < len && n < MAX_WORDS;) {
		char w[64];
		size_t wl = 0, cps = 0;
		while (i < len) {
			uint32_t cp;
			int k = td_utf8_decode(f + i, len - i, &cp);
			if (k <= 0)
				k = 1;
			bool letter = k > 1 ? td_cp_is_letter(cp)
					    : ((cp >= 'a' && cp <= 'z') ||
					       (cp >= '0' && cp <= '9'));
			if (!letter) {
				i += (size_t)k;
				if (wl)
					break;
				continue;
			}
			if (wl + (size_t)k < sizeof w) {
				memcpy(w + wl, f + i, (size_t)k);
				wl += (size_t)k;
			}
			cps++;
			i += (size_t)k;
		}
		w[wl] = '\0';
		if (cps < 3 || stop_word(w))
			continue;
		bool seen = false;
		for (int j = 0; j < n; j++)
			if (strcmp(words[j], w) == 0)
				seen = true;
		if (!seen)
			memcpy(words[n++], w, wl + 1);
	}
	return n;
}

/* Titles match when at least half of all their words are shared. */
static bool titles_match(const char *a, const char *b)
{
	char wa[MAX_WORDS][64], wb[MAX_WORDS][64];
	int na = title_words(a, wa), nb = title_words(b, wb), common = 0;

	if (!na || !nb)
		return false;
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (strcmp(wa[i], wb[j]) == 0)
				common++;
	return 2 * common >= na + nb - common;
}

int td_dup_score(const struct td_dup_weights *w,
		 const struct td_dup_person *typed,
		 const struct td_dup_person *known, unsigned *reasons)
{
	unsigned r = 0;
	int score = 0;
	char a[KEYBUF], b[KEYBUF], sa[COMPANY_KEY], sb[COMPANY_KEY];

	if (!blank(typed->email) && !blank(known->email)) {
		email_key(typed->email, a, sizeof a);
		email_key(known->email, b, sizeof b);
		if (strcmp(a, b) == 0) {
			r |= TD_DUP_EMAIL;
			score += w->email;
		}
	}
	if (!blank(typed->phone) && !blank(known->phone) &&
	    strcmp(typed->phone, known->phone) == 0) {
		r |= TD_DUP_PHONE;
		score += w->phone;
	}
	if (company_of(typed->siret, sa) && company_of(known->siret, sb) &&
	    strcmp(sa, sb) == 0) {
		r |= TD_DUP_SIRET;
		score += w->siret;
	}
	unsigned nr = name_reason(typed, known);
	r |= nr;
	if (nr == TD_DUP_NAME_EXACT)
		score += w->name_exact;
	else if (nr == TD_DUP_NAME_TYPO)
		score += w->name_typo;
	else if (nr == TD_DUP_NAME_SWAP)
		score += w->name_swap;

	if (!(r & TD_DUP_IDENTITY)) {
		if (reasons)
			*reasons = 0;
		return 0;
	}
	if (!blank(typed->postcode) && !blank(known->postcode)) {
		if (strcmp(typed->postcode, known->postcode) == 0) {
			r |= TD_DUP_POSTCODE;
			score += w->postcode_same;
		} else {
			r |= TD_DUP_POSTCODE_DIFFERS;
			score -= w->postcode_differs;
		}
	}
	if (!blank(typed->title) && !blank(known->title) &&
	    titles_match(typed->title, known->title)) {
		r |= TD_DUP_TITLE;
		score += w->title_same;
	}
	if (reasons)
		*reasons = r;
	return score;
}
