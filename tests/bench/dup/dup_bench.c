/* Duplicate lookup benchmark (not a test): p50/p95/p99 time of one
 * td_store_dup_lookup with 100,000 and then 1,000,000 holders in the
 * database, and the time taken to generate them through
 * td_store_dossier_insert (which maintains the lookup keys).
 *
 *   dup_bench [DB_PATH [N1 [N2 [QUERIES]]]]
 *
 * Names are drawn with a skew (weight 1/sqrt(rank)) from lists of common French
 * names, half of the last names built from syllables for a long tail,
 * so that popular names ("Martin Marie") are shared by many holders, as
 * at a real desk.  Queries: a registered name with one typo (nothing
 * else typed yet), a registered name with its postcode, a registered
 * e-mail under another name, and a name nobody has. */
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "store/dup.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const lasts[] = {
	"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand",
	"Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy",
	"Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet",
	"Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller",
	"Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer",
	"Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
	"Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
	"Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont",
	"Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
	"Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
	"Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt",
	"Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre",
	"Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
	"Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
	"Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot",
	"Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis",
	"Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer",
	"Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry",
	"Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard",
	"Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez",
	"Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet",
	"Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson",
	"Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier",
	"Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon",
	"Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard",
	"Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier",
	"Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard",
	"Marécha", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy",
	"Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier",
	"Carlier", "Laporte", "Vuillemin", "Kieffer", "Haddad", "N'Diaye",
};

static const char *const firsts[] = {
	"Marie", "Jean", "Pierre", "Michel", "André", "Philippe", "Nathalie",
	"Isabelle", "Sylvie", "Catherine", "Françoise", "Nicolas", "Christophe",
	"Stéphane", "Frédéric", "Sébastien", "Julien", "Thomas", "Camille",
	"Léa", "Manon", "Chloé", "Emma", "Inès", "Lucas", "Hugo", "Louis",
	"Nathan", "Gabriel", "Jules", "Arthur", "Adam", "Raphaël", "Léo",
	"Zoé", "Alice", "Lina", "Jade", "Louise", "Rose", "Anna", "Ambre",
	"Julie", "Laura", "Sarah", "Pauline", "Mathilde", "Marion", "Claire",
	"Céline", "Sandrine", "Valérie", "Aurélie", "Émilie", "Élodie", "Anaïs",
	"Océane", "Margaux", "Lucie", "Clara", "Maxime", "Alexandre", "Antoine",
	"Romain", "Kévin", "Quentin", "Clément", "Théo", "Baptiste", "Mathieu",
	"Matthieu", "Benoît", "Guillaume", "Vincent", "Olivier", "Laurent",
	"Patrick", "Éric", "David", "Alain", "Bernard", "Daniel", "Paul",
	"Yann", "Mehdi", "Karim", "Sofiane", "Yasmine", "Aminata", "Fatou",
	"Mamadou", "Ibrahim", "Mohamed", "Fatima", "Nour", "Ayoub", "Rayan",
	"Thi Lan", "Minh", "Jean-Pierre", "Marie-Claire", "Anne-Sophie",
};

static const char *const syl[] = {
	"ber", "ton", "mar", "chal", "vil", "le", "mont", "fort", "gai", "lard",
	"roche", "bois", "cour", "tois", "lan", "glois", "mi", "chaud", "ri",
	"vet", "dau", "phin", "saint", "clair", "bou", "quet", "ker", "vran",
	"schmi", "dlin", "wei", "ler", "hof", "mann", "gros", "jean", "ne",
};

static const char *const postcodes[] = {
	"57000", "57050", "57070", "57100", "54000", "54100", "54500", "88000",
	"57950", "57160", "54600", "88100", "57290", "54300",
};

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Skewed pick among n: index k with weight 1 / sqrt(k + 1), so the top
 * name of a list of 100 is drawn about 5% of the time (the most common
 * French surname, Martin, is about 0.4% of the population: the
 * benchmark is pessimistic about shared names). */
static size_t skewed(size_t n)
{
	double u = (double)(next() % 1000000) / 1000000.0;
	/* Inverse of the continuous 1/sqrt(x) law on [1, n + 1). */
	double r = 1.0 + u * (sqrt((double)n + 1.0) - 1.0);
	size_t k = (size_t)(r * r) - 1;
	return k < n ? k : n - 1;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void make_last(char *out, size_t outsz)
{
	if (next() % 2) {
		snprintf(out, outsz, "%s", lasts[skewed(COUNT(lasts))]);
		return;
	}
	/* Long tail: two or three syllables, capitalised. */
	int n = 2 + (int)(next() % 2);
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, outsz - o, "%s",
				      syl[next() % COUNT(syl)]);
	out[0] = (char)(out[0] - 'a' + 'A');
}

static void person(struct td_intake *v, long i)
{
	memset(v, 0, sizeof *v);
	make_last(v->last_name, sizeof v->last_name);
	snprintf(v->first_name, sizeof v->first_name, "%s",
		 firsts[skewed(COUNT(firsts))]);
	snprintf(v->email, sizeof v->email, "p%ld@exemple.fr", i);
	snprintf(v->phone, sizeof v->phone, "+336%08ld", i % 100000000);
	snprintf(v->postcode, sizeof v->postcode, "%s",
		 postcodes[next() % COUNT(postcodes)]);
	snprintf(v->title, sizeof v->title, "Projet %ld", i);
	v->needs = 1;
	v->consent = true;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const td_err *err)
{
	fprintf(stderr, "dup_bench: %s: %s\n", what, err->msg);
	exit(1);
}

static const char *const sites[] = { "THI", "MET", "NAN", "EPI" };

/* Add holders until the database has `upto`. */
static void generate(td_db *db, long from, long upto)
{
	struct td_dossier *d = calloc(1, sizeof *d);
	td_err err = { 0 };

	if (!d)
		exit(1);
	for (long i = from; i < upto;) {
		if (td_store_begin(db, &err))
			die("begin", &err);
		for (long end = i + 10000; i < upto && i < end; i++) {
			person(&d->v, i);
			const char *site = sites[i % 4];
			snprintf(d->site, sizeof d->site, "%s", site);
			if (td_store_new_id(site, d->id, &err) ||
			    td_store_new_id(site, d->holder_id, &err))
				die("id", &err);
			snprintf(d->reference, sizeof d->reference,
				 "%s-2026-%07ld", site, i);
			snprintf(d->created_at, sizeof d->created_at,
				 "2026-%02ld-%02ldT10:00:00Z", 1 + i % 11,
				 1 + i % 28);
			if (td_store_dossier_insert(db, d, &err))
				die("insert", &err);
		}
		if (td_store_commit(db, &err))
			die("commit", &err);
	}
	free(d);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One typo: substitute, delete or transpose a letter of s (ASCII part). */
static void typo(char *s)
{
	size_t n = strlen(s);
	if (n < 5)
		return;
	size_t i = 1 + next() % (n - 2);
	if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i + 1] >= 0x80)
		return;
	switch (next() % 3) {
	case 0:
		s[i] = (char)('a' + next() % 26);
		break;
	case 1:
		memmove(s + i, s + i + 1, n - i);
		break;
	default: {
		char c = s[i];
		s[i] = s[i + 1];
		s[i + 1] = c;
	}
	}
}

static void measure(td_db *db, long holders, int queries)
{
	struct td_dup_weights w;
	struct td_dup_match m[TD_DUP_MAX];
	double *t = calloc((size_t)queries, sizeof *t);
	td_err err = { 0 };
	long found = 0;

	if (!t)
		exit(1);
	td_dup_weights_default(&w);
	for (int q = 0; q < queries; q++) {
		struct td_intake v;
		long i = (long)(next() % (unsigned long long)holders);
		/* Same draw as at generation time is not reproducible, so
		 * take a fresh realistic person and vary what is typed. */
		person(&v, i);
		struct td_dup_person p = { v.last_name, v.first_name, NULL,
					   NULL, NULL, NULL, NULL };
		switch (q % 4) {
		case 0:
			typo(v.last_name);
			break;
		case 1:
			p.postcode = v.postcode;
			break;
		case 2:
			p.email = v.email;  /* a registered e-mail */
			break;
		default:
			snprintf(v.last_name, sizeof v.last_name, "Zz%dqx", q);
			p.phone = "+33699999999";
			break;
		}
		int n;
		double t0 = now_s();
		if (td_store_dup_lookup(db, &w, &p, "MET", m, TD_DUP_MAX, &n, &err))
			die("lookup", &err);
		t[q] = (now_s() - t0) * 1000.0;
		found += n;
	}
	qsort(t, (size_t)queries, sizeof *t, cmp_double);
	printf("  lookups: %d, p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms"
	       " (%.1f matches per lookup)\n", queries, t[queries / 2],
	       t[queries * 95 / 100], t[queries * 99 / 100], t[queries - 1],
	       (double)found / queries);
	free(t);
}

static void file_size(const char *path)
{
	struct stat st;
	char wal[4200];
	long long sz = 0;
	if (stat(path, &st) == 0)
		sz += st.st_size;
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (stat(wal, &st) == 0)
		sz += st.st_size;
	printf("  database size: %.0f MB\n", (double)sz / 1e6);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/td-dup-bench.db";
	long n1 = argc > 2 ? atol(argv[2]) : 100000;
	long n2 = argc > 3 ? atol(argv[3]) : 1000000;
	int queries = argc > 4 ? atoi(argv[4]) : 2000;
	td_err err = { 0 };
	td_db *db;
	char buf[4200];

	/* Figures appear as they come, also when piped to a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
	if (td_store_open(path, TD_DB_CREATE | TD_DB_NEW, &db, &err))
		die("open", &err);
	for (size_t i = 0; i < COUNT(sites); i++) {
		struct td_site_rec s = { sites[i], sites[i], "", "", "", false };
		if (td_store_site_put(db, &s, &err))
			die("site", &err);
	}
	long have = 0;
	long sizes[2] = { n1, n2 };
	for (int k = 0; k < 2; k++) {
		if (sizes[k] <= have)
			continue;
		double t0 = now_s();
		generate(db, have, sizes[k]);
		double gen = now_s() - t0;
		have = sizes[k];
		printf("%ld holders: generated %ld in %.1f s (%.0f per second)\n",
		       have, have - (k ? n1 : 0), gen,
		       (double)(have - (k ? n1 : 0)) / gen);
		file_size(path);
		measure(db, have, queries / 10);  /* warm the cache */
		measure(db, have, queries);
	}
	td_store_close(db);
	return 0;
}
