/* Duplicate scoring: distance, name keys, lookup keys, scores, and the
 * labelled set tests/data/dup_pairs.csv with its precision and recall. */
#include "totemdesk/similar.h"
#include "totemdesk/validate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void distance(void **state)
{
	assert_int_equal(td_dup_distance("martin", "martin", 1), 0);
	assert_int_equal(td_dup_distance("martin", "marti", 1), 1);
	assert_int_equal(td_dup_distance("martin", "martinn", 1), 1);
	assert_int_equal(td_dup_distance("martin", "martyn", 1), 1);
	assert_int_equal(td_dup_distance("wagner", "wganer", 1), 1);
	assert_int_equal(td_dup_distance("dubois", "dubos", 3), 1);
	assert_int_equal(td_dup_distance("marc", "mark", 3), 1);
	assert_int_equal(td_dup_distance("abcdef", "badcfe", 5), 3);
	/* Early stop: more than max gives max + 1. */
	assert_int_equal(td_dup_distance("martin", "bernard", 1), 2);
	assert_int_equal(td_dup_distance("a", "abcd", 1), 2);
	/* Code points, not bytes: é against e is one substitution. */
	assert_int_equal(td_dup_distance("léa", "lea", 2), 1);
	assert_int_equal(td_dup_distance("", "", 0), 0);
	assert_int_equal(td_dup_distance("", "ab", 2), 2);
}

static void name_key(void **state)
{
	char k[128];
	assert_int_equal(td_dup_name_key("Lefèvre", k, sizeof k), 7);
	assert_string_equal(k, "lefevre");
	td_dup_name_key("  JEAN-Pierre ", k, sizeof k);
	assert_string_equal(k, "jeanpierre");
	td_dup_name_key("N'Diaye", k, sizeof k);
	assert_string_equal(k, "ndiaye");
	td_dup_name_key("Cœur", k, sizeof k);
	assert_string_equal(k, "coeur");
	assert_int_equal(td_dup_name_key("-'", k, sizeof k), 0);
	assert_string_equal(k, "");
	assert_int_equal(td_dup_name_key(NULL, k, sizeof k), 0);
}

static bool share_key(const struct td_dup_person *a,
		      const struct td_dup_person *b)
{
	uint64_t ka[TD_DUP_KEYS_MAX], kb[TD_DUP_KEYS_MAX];
	int na = td_dup_keys(a, false, ka, TD_DUP_KEYS_MAX);
	int nb = td_dup_keys(b, true, kb, TD_DUP_KEYS_MAX);
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (ka[i] == kb[j])
				return true;
	return false;
}

/* Every one-typo or swapped variant shares a key with the stored name:
 * that is what makes the index lookup complete. */
static void keys_find_variants(void **state)
{
	struct td_dup_person stored = { .last_name = "Schmitt",
					.first_name = "Claire" };
	const char *variants[][2] = {
		{ "Schmitt", "Claire" }, { "Schmit", "Claire" },
		{ "Schmidt", "Claire" }, { "Schmitt", "Clarie" },
		{ "Schmitts", "Claire" }, { "SCHMITT", "Clairé" },
		{ "Claire", "Schmitt" }, { "Clair", "Schmitt" },
	};
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		struct td_dup_person q = { .last_name = variants[i][0],
					   .first_name = variants[i][1] };
		assert_true(share_key(&stored, &q));
	}
	struct td_dup_person far = { .last_name = "Schmidt",
				     .first_name = "Clara" };
	assert_false(share_key(&stored, &far));

	/* Exact keys: e-mail case ignored, phone, SIREN of any
	 * establishment. */
	struct td_dup_person a = { .email = "Zoe.Lefevre@exemple.fr",
				   .phone = "+33612345678",
				   .siret = "73282932000074" };
	struct td_dup_person b = { .email = "zoe.lefevre@exemple.fr" };
	struct td_dup_person c = { .phone = "+33612345678" };
	struct td_dup_person d = { .siret = "732829320" };
	struct td_dup_person e = { .email = "zoe@exemple.fr",
				   .phone = "+33612345679" };
	assert_true(share_key(&a, &b));
	assert_true(share_key(&a, &c));
	assert_true(share_key(&a, &d));
	assert_false(share_key(&a, &e));

	/* Companies abroad, by their normalised identifiers (issue 12),
	 * whatever the holders' countries; a French SIREN never meets a
	 * Belgian number of the same digits. */
	struct td_dup_person be1 = { .siret = "0566.988.259" };
	struct td_dup_person be2 = { .last_name = "Peeters",
				     .siret = "0566.988.259" };
	struct td_dup_person de1 = { .siret = "Saarbrücken HRB 12345" };
	struct td_dup_person de2 = { .siret = "Saarbrucken HRB 12345" };
	struct td_dup_person de3 = { .siret = "Saarbrücken HRA 12345" };
	struct td_dup_person lu1 = { .siret = "B123456" };
	struct td_dup_person fr9 = { .siret = "566988259" };
	assert_true(share_key(&be1, &be2));
	assert_true(share_key(&de1, &de2));
	assert_false(share_key(&de1, &de3));
	assert_false(share_key(&be1, &fr9));
	assert_false(share_key(&lu1, &de1));
	{
		unsigned why;
		struct td_dup_weights w;
		td_dup_weights_default(&w);
		assert_int_equal(td_dup_score(&w, &be2, &be1, &why), w.siret);
		assert_int_equal(why, TD_DUP_SIRET);
		td_dup_score(&w, &de2, &de1, &why);
		assert_int_equal(why, TD_DUP_SIRET);
		td_dup_score(&w, &fr9, &be1, &why);
		assert_int_equal(why, 0);
	}

	/* Empty person: no keys; a very long name stays within max. */
	struct td_dup_person none = { 0 };
	uint64_t k[TD_DUP_KEYS_MAX];
	assert_int_equal(td_dup_keys(&none, true, k, TD_DUP_KEYS_MAX), 0);
	char longname[61];
	memset(longname, 'a', 60);
	longname[60] = '\0';
	for (int i = 0; i < 60; i += 2)
		longname[i] = (char)('a' + i % 26);
	struct td_dup_person lp = { .last_name = longname,
				    .first_name = longname };
	int n = td_dup_keys(&lp, true, k, TD_DUP_KEYS_MAX);
	assert_true(n > 60 && n <= TD_DUP_KEYS_MAX);
	assert_int_equal(td_dup_keys(&lp, true, k, 5), 5);
}

static void scores(void **state)
{
	struct td_dup_weights w;
	unsigned r;
	td_dup_weights_default(&w);

	struct td_dup_person known = { "Lefèvre", "Zoé",
		"zoe.lefevre@exemple.fr", "+33612345678", "57000",
		"Épicerie vrac à Metz", "73282932000074" };
	struct td_dup_person t1 = { .last_name = "LEFEVRE",
				    .first_name = "zoe" };
	assert_int_equal(td_dup_score(&w, &t1, &known, &r), w.name_exact);
	assert_int_equal(r, TD_DUP_NAME_EXACT);

	t1.postcode = "57000";
	assert_int_equal(td_dup_score(&w, &t1, &known, &r),
			 w.name_exact + w.postcode_same);
	assert_int_equal(r, TD_DUP_NAME_EXACT | TD_DUP_POSTCODE);

	t1.postcode = "54000";
	assert_int_equal(td_dup_score(&w, &t1, &known, &r),
			 w.name_exact - w.postcode_differs);
	assert_true(r & TD_DUP_POSTCODE_DIFFERS);

	struct td_dup_person t2 = { .last_name = "Zoé",
				    .first_name = "Lefevre",
				    .title = "épicerie en vrac, Metz" };
	assert_int_equal(td_dup_score(&w, &t2, &known, &r),
			 w.name_swap + w.title_same);
	assert_int_equal(r, TD_DUP_NAME_SWAP | TD_DUP_TITLE);

	struct td_dup_person t3 = { .last_name = "Lefevbre",
				    .first_name = "Zoé" };
	td_dup_score(&w, &t3, &known, &r);
	assert_int_equal(r, TD_DUP_NAME_TYPO);

	/* Strong keys whatever the name. */
	struct td_dup_person t4 = { .last_name = "Martin",
				    .first_name = "Paul",
				    .email = "ZOE.LEFEVRE@exemple.fr",
				    .phone = "+33612345678",
				    .siret = "73282932000082" };
	assert_int_equal(td_dup_score(&w, &t4, &known, &r),
			 w.email + w.phone + w.siret);
	assert_int_equal(r, TD_DUP_EMAIL | TD_DUP_PHONE | TD_DUP_SIRET);

	/* Postcode and title alone are no evidence. */
	struct td_dup_person t5 = { .last_name = "Bernard",
				    .first_name = "Pierre",
				    .postcode = "57000",
				    .title = "Épicerie vrac à Metz" };
	assert_int_equal(td_dup_score(&w, &t5, &known, &r), 0);
	assert_int_equal(r, 0);

	/* Short first names one letter apart are not a typo. */
	struct td_dup_person lea = { .last_name = "Muller",
				     .first_name = "Léa" };
	struct td_dup_person leo = { .last_name = "Muller",
				     .first_name = "Léo" };
	assert_int_equal(td_dup_score(&w, &lea, &leo, &r), 0);

	/* Weights come from the caller. */
	struct td_dup_weights w2 = w;
	w2.name_exact = 7;
	t1.postcode = NULL;
	assert_int_equal(td_dup_score(&w2, &t1, &known, NULL), 7);
}

static void evidence(void **state)
{
	struct td_dup_person a = { .last_name = "Lefèvre",
				   .first_name = "Zoé",
				   .email = "Zoe@Exemple.fr" };
	struct td_dup_person b = { .last_name = "LEFEVRE",
				   .first_name = "zoe",
				   .email = "zoe@exemple.fr" };
	uint64_t ea[4], eb[4];
	assert_int_equal(td_dup_evidence(&a, TD_DUP_NAME_TYPO, ea), 1);
	assert_int_equal(td_dup_evidence(&b, TD_DUP_NAME_EXACT, eb), 1);
	assert_true(ea[0] == eb[0]);
	assert_int_equal(td_dup_evidence(&a, TD_DUP_NAME_EXACT | TD_DUP_EMAIL |
					 TD_DUP_POSTCODE, ea), 2);
	assert_int_equal(td_dup_evidence(&a, TD_DUP_PHONE, ea), 0);
}

/* ---- the labelled set ------------------------------------------------- */

struct side {
	char last[256], first[256], email[300], phone[64], postcode[16],
		title[512], siret[32];
};

/* Normalise as the form does before a lookup; a value the validator
 * refuses is a mistake in the data set. */
static void normalise(struct side *s, int line)
{
	char out[512];
	if (*s->email) {
		if (td_validate_email(s->email, out, sizeof s->email) != TD_V_OK)
			fail_msg("dup_pairs.csv:%d: bad e-mail %s", line, s->email);
		memcpy(s->email, out, strlen(out) + 1);
	}
	if (*s->phone) {
		if (td_validate_phone(TD_COUNTRY_FR, s->phone, out,
				      sizeof s->phone) != TD_V_OK)
			fail_msg("dup_pairs.csv:%d: bad phone %s", line, s->phone);
		memcpy(s->phone, out, strlen(out) + 1);
	}
	if (*s->siret) {
		if (td_validate_company(TD_COUNTRY_FR, s->siret, out,
					sizeof s->siret) != TD_V_OK)
			fail_msg("dup_pairs.csv:%d: bad SIRET %s", line, s->siret);
		memcpy(s->siret, out, strlen(out) + 1);
	}
}

static struct td_dup_person person(const struct side *s)
{
	return (struct td_dup_person){ s->last, s->first, s->email, s->phone,
				       s->postcode, s->title, s->siret };
}

/* Split line on ';' into at most n fields (in place). */
static int split(char *line, char **f, int n)
{
	int k = 0;
	line[strcspn(line, "\r\n")] = '\0';
	f[k++] = line;
	for (char *p = line; *p && k < n; p++) {
		if (*p == ';') {
			*p = '\0';
			f[k++] = p + 1;
		}
	}
	return k;
}

static void copy_side(struct side *s, char **f)
{
	snprintf(s->last, sizeof s->last, "%s", f[0]);
	snprintf(s->first, sizeof s->first, "%s", f[1]);
	snprintf(s->email, sizeof s->email, "%s", f[2]);
	snprintf(s->phone, sizeof s->phone, "%s", f[3]);
	snprintf(s->postcode, sizeof s->postcode, "%s", f[4]);
	snprintf(s->title, sizeof s->title, "%s", f[5]);
	snprintf(s->siret, sizeof s->siret, "%s", f[6]);
}

static void labelled_set(void **state)
{
	const char *root = getenv("SOURCE_ROOT");
	char path[4096], line[2048];
	struct td_dup_weights w;
	int tp = 0, fp = 0, fn = 0, tn = 0, lineno = 0, pairs = 0;

	td_dup_weights_default(&w);
	snprintf(path, sizeof path, "%s/tests/data/dup_pairs.csv",
		 root && *root ? root : ".");
	FILE *in = fopen(path, "r");
	if (!in)
		fail_msg("cannot open %s (set SOURCE_ROOT)", path);
	while (fgets(line, sizeof line, in)) {
		char *f[16];
		struct side a, b;
		unsigned r;
		if (++lineno == 1)
			continue;
		if (split(line, f, 16) != 16)
			fail_msg("dup_pairs.csv:%d: expected 16 fields", lineno);
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		copy_side(&a, f + 1);
		copy_side(&b, f + 8);
		normalise(&a, lineno);
		normalise(&b, lineno);
		struct td_dup_person pa = person(&a), pb = person(&b);
		/* b is typed, a is registered. */
		int score = td_dup_score(&w, &pb, &pa, &r);
		bool said = score >= w.threshold;
		bool truth = f[0][0] == '1';
		pairs++;
		if (said && truth)
			tp++;
		else if (said)
			fp++;
		else if (truth)
			fn++;
		else
			tn++;
		if (said != truth)
			printf("  %s line %d (%s): score %d, reasons 0x%x\n",
			       said ? "false positive" : "missed", lineno,
			       f[15], score, r);
	}
	fclose(in);
	double precision = tp + fp ? (double)tp / (tp + fp) : 0;
	double recall = tp + fn ? (double)tp / (tp + fn) : 0;
	printf("duplicate pairs: %d (%d duplicates), tp %d fp %d fn %d tn %d\n",
	       pairs, tp + fn, tp, fp, fn, tn);
	printf("precision %.3f  recall %.3f\n", precision, recall);
	assert_true(pairs >= 50);
	assert_true(tp + fn >= 20 && fp + tn >= 20);
	assert_true(precision >= 0.95);
	assert_true(recall >= 0.95);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distance),
		cmocka_unit_test(name_key),
		cmocka_unit_test(keys_find_variants),
		cmocka_unit_test(scores),
		cmocka_unit_test(evidence),
		cmocka_unit_test(labelled_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
