/* Scale benchmark, part 1: a database of N realistic dossiers (100,000 or
 * 1,000,000), written through the store API (so every trigger, index and
 * duplicate key is kept as the program keeps them) in one transaction.
 *
 *   scale_gen DB N [SEED]
 *
 * Prints the rate.  Not a test: see scale_bench and docs/benchmarks.md. */
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/timefmt.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N(a) (sizeof a / sizeof a[0])

static const char *const firsts[] = {
	"Zoé", "Léa", "Chloé", "Hélène", "Jérôme", "François", "Aurélien",
	"Céline", "Noël", "Anaïs", "Maël", "Inès", "Gaëlle", "Benoît", "Loïc",
	"Rémi", "Stéphane", "Élodie", "Mélanie", "Théo", "Clément", "Raphaël",
	"Agnès", "Frédéric", "Sébastien", "Valérie", "Cécile", "Joël", "Hervé",
	"Amélie", "Karim", "Fatoumata", "Nadia", "Sofiane", "Lucas", "Emma",
	"Hugo", "Manon", "Julien", "Camille", "Nicolas", "Jean-Baptiste",
};
static const char *const lasts[] = {
	"Lefèvre", "Müller", "Bérard", "Gérard", "Thiébaut", "Schmitt", "Weber",
	"Klein", "Hoffmann", "Dupré", "N'Diaye", "Da Silva", "Lacôte", "Hénon",
	"Mathieu", "Mercier", "Girard", "Rémy", "Fève", "Jacquemin", "Colin",
	"Didier", "Marchal", "Perrin", "Lambert", "Grosjean", "Vautrin",
	"Wagner", "Becker", "Zimmermann", "Schneider", "Fontaine", "Chevalier",
	"Lemaître", "Hébert", "Brûlé", "Ménétrier", "Cœurdevey", "Husson",
};
static const struct { const char *site, *city, *postcode; } places[] = {
	{ "THI", "Thionville", "57100" }, { "THI", "Yutz", "57970" },
	{ "MET", "Metz", "57000" }, { "MET", "Montigny-lès-Metz", "57950" },
	{ "NAN", "Nancy", "54000" }, { "NAN", "Vandœuvre-lès-Nancy", "54500" },
	{ "EPI", "Épinal", "88000" }, { "EPI", "Gérardmer", "88400" },
};
static const char *const titles[] = {
	"Plateforme de covoiturage rural", "Ruches connectées",
	"Épicerie vrac en ligne", "Capteurs de qualité de l'air",
	"Application de suivi des soins", "Brasserie artisanale",
	"Logiciel de gestion pour artisans", "Vélos cargo électriques",
	"Cours de code pour collégiens", "Place de marché de produits locaux",
	"Cybersécurité pour PME", "Jeux éducatifs sur tablette",
};
static const char *const words[] = {
	"projet", "clients", "financement", "prototype", "local", "Lorraine",
	"Luxembourg", "équipe", "marché", "industriel", "numérique", "énergie",
	"santé", "formation", "export", "recrutement", "incubateur", "réseau",
};
static const char *const officers[] = { "", "", "julien.marchal",
	"claire.n", "paul.officer" };

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

/* Fourteen digits passing the Luhn check (SIRET). */
static void siret(char out[15])
{
	int sum = 0;
	for (int i = 0; i < 13; i++)
		out[i] = (char)('0' + rnd(10));
	out[13] = '0';
	out[14] = '\0';
	for (int i = 0; i < 14; i++) {
		int d = out[13 - i] - '0';
		if (i % 2) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	out[13] = (char)('0' + (10 - sum % 10) % 10);
}

/* How long ago: three years back, denser lately as the network grew. */
static long draw_back(void)
{
	long span = 3L * 365 * 86400;
	return (long)((double)span * ((double)rnd(1000000) / 1e6 *
				      (double)rnd(1000000) / 1e6));
}

/* Oldest first (the largest "back" first). */
static int older_first(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x < y) - (x > y);
}

/* back < 0: draw it (the dossiers come in random order of time). */
static void fill(struct td_dossier *d, long i, time_t now, long back)
{
	int p = (int)rnd(N(places));
	if (back < 0)
		back = draw_back();
	time_t at = now - back;
	int age_days = (int)(back / 86400);

	memset(d, 0, sizeof *d);
	snprintf(d->site, sizeof d->site, "%s", places[p].site);
	td_time_format(at, d->created_at, sizeof d->created_at);
	memcpy(d->updated_at, d->created_at, sizeof d->updated_at);
	memcpy(d->consent_at, d->created_at, sizeof d->consent_at);
	snprintf(d->consent_version, sizeof d->consent_version, "2026-01");
	snprintf(d->created_by, sizeof d->created_by, "accueil.%c%c%c",
		 d->site[0] + 32, d->site[1] + 32, d->site[2] + 32);
	snprintf(d->assigned_to, sizeof d->assigned_to, "%s",
		 officers[rnd(N(officers))]);
	const char *f = firsts[rnd(N(firsts))], *l = lasts[rnd(N(lasts))];
	snprintf(d->v.first_name, sizeof d->v.first_name, "%s", f);
	snprintf(d->v.last_name, sizeof d->v.last_name, "%s", l);
	/* Unique keys: the duplicate check must not see everyone as one. */
	snprintf(d->v.email, sizeof d->v.email, "porteur.%ld@exemple.fr", i);
	if (rnd(3))
		snprintf(d->v.phone, sizeof d->v.phone, "+336%08ld", i % 100000000);
	snprintf(d->v.postcode, sizeof d->v.postcode, "%s", places[p].postcode);
	snprintf(d->v.city, sizeof d->v.city, "%s", places[p].city);
	snprintf(d->v.title, sizeof d->v.title, "%s", titles[rnd(N(titles))]);
	snprintf(d->v.description, sizeof d->v.description,
		 "%s %s %s %s %s %s.", words[rnd(N(words))], words[rnd(N(words))],
		 words[rnd(N(words))], words[rnd(N(words))],
		 words[rnd(N(words))], words[rnd(N(words))]);
	if (rnd(10) < 3)
		siret(d->v.siret);
	d->v.stage = 1 + (int)rnd((unsigned)td_stages.count - 1);
	d->v.sector = 1 + (int)rnd((unsigned)td_sectors.count - 1);
	d->v.needs = 1u << rnd((unsigned)td_needs.count);
	if (rnd(2))
		d->v.needs |= 1u << rnd((unsigned)td_needs.count);
	d->v.consent = true;
	/* Older dossiers have moved on. */
	if (age_days < 7)
		d->status = rnd(3) ? TD_ST_NEW : TD_ST_TRIAGED;
	else if (age_days < 60)
		d->status = (int)rnd(3);
	else
		d->status = 1 + (int)rnd(5);
	d->version = 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DB N [SEED [in-order]]\n", argv[0]);
		return 2;
	}
	const char *path = argv[1];
	long n = atol(argv[2]);
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20261123u;
	/* "in-order": registered as a desk registers them, oldest first, so
	 * that the file's order is the order of time (the default draws
	 * each dossier's time at random: the worst case for reading in
	 * time order, as after an import of shuffled history). */
	long *backs = NULL;
	if (argc > 4 && strcmp(argv[4], "in-order") == 0) {
		backs = malloc((size_t)n * sizeof *backs);
		if (!backs)
			return 1;
		for (long i = 0; i < n; i++)
			backs[i] = draw_back();
		qsort(backs, (size_t)n, sizeof *backs, older_first);
	}
	td_err err = { 0 };
	td_db *db;
	struct td_dossier d;
	struct timespec t0, t1;

	remove(path);
	if (td_app_init_db(path, &err) || td_store_open(path, 0, &db, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	time_t now = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (td_store_begin(db, &err))
		goto fail;
	for (long i = 0; i < n; i++) {
		fill(&d, i, now, backs ? backs[i] : -1);
		/* References per site and year, as the desk numbers them. */
		int year = atoi(d.created_at);
		if (td_store_reference_next(db, d.site, year, d.reference,
					    &err) ||
		    td_store_new_id(d.site, d.id, &err) ||
		    td_store_new_id(d.site, d.holder_id, &err) ||
		    td_store_dossier_insert(db, &d, &err))
			goto fail;
		if ((i + 1) % 100000 == 0)
			fprintf(stderr, "  %ld dossiers\n", i + 1);
	}
	if (td_store_commit(db, &err))
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("generated %ld dossiers in %.1f s (%.0f dossiers/s) into %s\n",
	       n, s, (double)n / s, path);
	/* The search index as the desk keeps it (a desk indexes what it
	 * saves): without this, the bench's first count would index every
	 * dossier (4 to 7 minutes at 1,000,000) and show as one queue
	 * opening. */
	if (td_store_search_sync(db, &err))
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("search index made in %.1f s\n",
	       (double)(t0.tv_sec - t1.tv_sec) +
	       (double)(t0.tv_nsec - t1.tv_nsec) / 1e9);
	td_store_close(db);
	return 0;
fail:
	fprintf(stderr, "scale_gen: %s\n", err.msg);
	td_store_rollback(db);
	td_store_close(db);
	return 1;
}
