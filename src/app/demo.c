/* Realistic generated data for --demo: French names with accents, the
 * four Totems, varied stages, sectors, needs and statuses, spread over
 * eighteen months with a handful of visitors today at every site. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/config.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/referral.h"
#include "totemdesk/route.h"
#include "totemdesk/text.h"
#include "totemdesk/timefmt.h"
#include "totemdesk/vec.h"
#include "store/partner.h"
#include "store/referral.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof a / sizeof a[0])
#define DEMO_DAYS 540   /* how far back the demo's dossiers go */

static const char *const first_names[] = {
	"Zoé", "Léa", "Chloé", "Hélène", "Jérôme", "François", "Aurélien",
	"Céline", "Noël", "Anaïs", "Maël", "Inès", "Gaëlle", "Benoît", "Loïc",
	"Rémi", "Stéphane", "Élodie", "Mélanie", "Théo", "Clément", "Raphaël",
	"Agnès", "Frédéric", "Sébastien", "Valérie", "Cécile", "Joël", "Hervé",
	"Amélie", "Océane", "Bérénice", "Ludovic", "Yannick", "Karim",
	"Fatoumata", "Nadia", "Sofiane", "Lucas", "Emma", "Hugo", "Manon",
	"Julien", "Camille", "Nicolas", "Jean-Baptiste", "Marie-Hélène",
	"Ségolène", "Côme", "Thaïs",
};

static const char *const last_names[] = {
	"Lefèvre", "Müller", "Bérard", "Gérard", "Thiébaut", "Schmitt", "Weber",
	"Klein", "Hoffmann", "Dupré", "N'Diaye", "Da Silva", "Lacôte", "Hénon",
	"Mathieu", "Mercier", "Girard", "Rémy", "Fève", "Jacquemin", "Colin",
	"Didier", "Marchal", "Perrin", "Lambert", "Grosjean", "Vautrin",
	"Wagner", "Becker", "Zimmermann", "Schneider", "Fontaine", "Chevalier",
	"Lemaître", "Hébert", "Brûlé", "Ménétrier", "Ould-Ahmed", "Cœurdevey",
	"Saint-Rémy", "Boulanger", "Husson", "L'Huillier", "Mangin",
	"Thouvenin", "Georgel", "Humbert", "Pierrat", "Valentin", "Aubert",
};

struct place { const char *site, *city, *postcode; };
static const struct place places[] = {
	{ "THI", "Thionville", "57100" }, { "THI", "Yutz", "57970" },
	{ "THI", "Hayange", "57700" }, { "THI", "Florange", "57190" },
	{ "THI", "Esch-sur-Alzette", "L-4002" },
	{ "MET", "Metz", "57000" }, { "MET", "Metz", "57050" },
	{ "MET", "Metz", "57070" }, { "MET", "Montigny-lès-Metz", "57950" },
	{ "MET", "Woippy", "57140" }, { "MET", "Marly", "57155" },
	{ "NAN", "Nancy", "54000" }, { "NAN", "Nancy", "54100" },
	{ "NAN", "Vandœuvre-lès-Nancy", "54500" }, { "NAN", "Laxou", "54520" },
	{ "NAN", "Maxéville", "54320" }, { "NAN", "Villers-lès-Nancy", "54600" },
	{ "EPI", "Épinal", "88000" }, { "EPI", "Golbey", "88190" },
	{ "EPI", "Saint-Dié-des-Vosges", "88100" }, { "EPI", "Gérardmer", "88400" },
	{ "EPI", "Remiremont", "88200" },
};

struct project { const char *title, *sector; };
static const struct project projects[] = {
	{ "Plateforme de covoiturage rural", "cleantech-mobility" },
	{ "Ruches connectées et suivi des abeilles", "iot-manufacturing" },
	{ "Épicerie vrac en ligne", "retail" },
	{ "Capteurs de qualité de l'air intérieur", "iot-manufacturing" },
	{ "Logiciel de gestion pour artisans", "other" },
	{ "Place de marché des produits lorrains", "retail" },
	{ "Jeu éducatif sur l'histoire de Metz", "edtech-entertainment" },
	{ "Télésurveillance cardiaque à domicile", "healthtech" },
	{ "Néobanque pour associations", "fintech" },
	{ "Audit de cybersécurité pour PME", "security-privacy" },
	{ "Livraison urbaine en vélo cargo", "cleantech-mobility" },
	{ "Coaching sportif en ligne", "sports" },
	{ "Réalité virtuelle pour la formation", "edtech-entertainment" },
	{ "Traçabilité du bois des Vosges", "iot-manufacturing" },
	{ "Ferme hydroponique urbaine", "foodtech" },
	{ "Recyclage de batteries de vélos", "cleantech-mobility" },
	{ "Robot de tri des déchets", "iot-manufacturing" },
	{ "Micro-épargne solidaire", "fintech" },
	{ "Boutique de mirabelles et confitures", "foodtech" },
	{ "Studio de jeux vidéo indépendant", "edtech-entertainment" },
	{ "Téléconsultation pour les zones rurales", "healthtech" },
	{ "Coffre-fort numérique pour familles", "security-privacy" },
	{ "Application de prêt de matériel entre voisins", "other" },
	{ "Salle d'escalade connectée", "sports" },
	{ "Cantine zéro déchet pour entreprises", "foodtech" },
};

/* Description = opening + wish + ".". */
static const char *const description_openings[] = {
	"Porteur de projet reçu à l'accueil ; souhaite",
	"Projet repéré lors d'un atelier du Totem ; aimerait",
	"Vient de quitter son emploi pour se lancer ; cherche à",
	"Étudiant-entrepreneur, prototype en cours ; voudrait",
	"Société créée l'an dernier, premiers clients ; veut",
};
static const char *const wishes[] = {
	"valider son modèle économique", "trouver un local",
	"obtenir un prêt d'honneur", "rencontrer des investisseurs",
	"recruter un premier salarié", "tester son marché au Luxembourg",
	"être accompagné par un incubateur",
};

static const char *const mail_domains[] = {
	"gmail.com", "orange.fr", "free.fr", "laposte.net", "yahoo.fr",
	"outlook.fr", "sfr.fr", "wanadoo.fr", "proton.me",
};

struct rng { unsigned long long s; };

static unsigned rnd(struct rng *r, unsigned n)
{
	/* xorshift64*: deterministic for a given seed, good enough here. */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (unsigned)((r->s * 2685821657736338717ULL) >> 33) % (n ? n : 1);
}

static void digits(struct rng *r, char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + rnd(r, 10));
	out[n] = '\0';
}

/* Append the digit that makes s pass the Luhn check. */
static void luhn_complete(char *s)
{
	size_t n = strlen(s);
	for (char c = '0'; c <= '9'; c++) {
		s[n] = c;
		s[n + 1] = '\0';
		if (td_luhn_ok(s))
			return;
	}
}

/* Lower-case ASCII slug of a name for an e-mail address. */
static void mail_part(const char *name, char *out, size_t outsz)
{
	char folded[256];
	size_t j = 0;
	td_text_fold(name, folded, sizeof folded);
	for (size_t i = 0; folded[i] && j + 1 < outsz; i++) {
		char c = folded[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[j++] = c;
		else if ((c == '-' || c == ' ') && j && out[j - 1] != '-')
			out[j++] = '-';
	}
	out[j] = '\0';
}

static int cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;
	return (x > y) - (x < y);
}

static void fill_record(struct rng *r, const struct place *pl,
			int age_days, struct td_intake *in)
{
	const char *first = first_names[rnd(r, N(first_names))];
	const char *last = last_names[rnd(r, N(last_names))];
	const struct project *pr = &projects[rnd(r, N(projects))];
	char a[64], b[64], d[16];

	memset(in, 0, sizeof *in);
	snprintf(in->first_name, sizeof in->first_name, "%s", first);
	snprintf(in->last_name, sizeof in->last_name, "%s", last);
	if (rnd(r, 100) < 88) {
		mail_part(first, a, sizeof a);
		mail_part(last, b, sizeof b);
		snprintf(in->email, sizeof in->email, "%s.%s@%s", a, b,
			 mail_domains[rnd(r, N(mail_domains))]);
	}
	unsigned p = rnd(r, 100);
	if (in->email[0] == '\0' || p < 80) {
		if (p < 8) {
			digits(r, d, 6);
			snprintf(in->phone, sizeof in->phone, "+352 %s %.3s %.3s",
				 (const char *[]){ "621", "661", "691" }[rnd(r, 3)],
				 d, d + 3);
		} else if (p < 25) {
			digits(r, d, 6);
			snprintf(in->phone, sizeof in->phone, "03 %s %.2s %.2s %.2s",
				 (const char *[]){ "87", "83", "82", "29" }[rnd(r, 4)],
				 d, d + 2, d + 4);
		} else {
			digits(r, d, 8);
			snprintf(in->phone, sizeof in->phone,
				 "0%c %.2s %.2s %.2s %.2s", rnd(r, 3) ? '6' : '7',
				 d, d + 2, d + 4, d + 6);
			/* 070-072 are not mobiles; 0639 and 069x are
			 * overseas (Mayotte, Antilles, Guyane, Réunion) */
			if (in->phone[1] == '7' && in->phone[3] < '3')
				in->phone[3] = '6';
			if (in->phone[1] == '6' && (in->phone[3] == '3' ||
						    in->phone[3] == '9'))
				in->phone[3] = '8';
		}
	}
	snprintf(in->postcode, sizeof in->postcode, "%s", pl->postcode);
	snprintf(in->city, sizeof in->city, "%s", pl->city);
	snprintf(in->title, sizeof in->title, "%s", pr->title);
	snprintf(in->description, sizeof in->description, "%s %s.",
		 description_openings[rnd(r, N(description_openings))],
		 wishes[rnd(r, N(wishes))]);
	in->stage = 1 + (int)rnd(r, (unsigned)td_stages.count - 1);
	in->sector = td_enum_find(&td_sectors, pr->sector);
	in->needs = 0;
	for (unsigned k = 1 + rnd(r, 3); k; k--)
		in->needs |= 1u << rnd(r, (unsigned)td_needs.count);
	if (in->stage >= td_enum_find(&td_stages, "creation") && rnd(r, 2)) {
		char siret[16];
		digits(r, siret, 8);
		luhn_complete(siret);
		digits(r, siret + 9, 4);
		luhn_complete(siret);
		snprintf(in->siret, sizeof in->siret, "%s", siret);
	}
	in->consent = true;
	(void)age_days;
}

/* Status a dossier of this age has reached, with rough real proportions. */
static int pick_status(struct rng *r, int age_days)
{
	if (age_days < 2)
		return TD_ST_NEW;
	unsigned p = rnd(r, 100);
	if (age_days < 14)
		return p < 50 ? TD_ST_NEW : p < 85 ? TD_ST_TRIAGED : TD_ST_REFERRED;
	return p < 8 ? TD_ST_NEW : p < 22 ? TD_ST_TRIAGED : p < 55 ? TD_ST_REFERRED
	       : p < 78 ? TD_ST_SUPPORTED : p < 93 ? TD_ST_CLOSED : TD_ST_ON_HOLD;
}

static const char *const officer = "julien.marchal";

/* What partners answered, by outcome. */
static const char *const accepted_notes[] = {
	"Prêt d'honneur de 15 000 € accordé en comité",
	"Intègre le programme d'incubation en janvier",
	"Bureau attribué à la pépinière, entrée le mois prochain",
	"Accompagnement sur le plan de financement, trois rendez-vous prévus",
	"Mise en relation avec deux clients pilotes",
};
static const char *const declined_notes[] = {
	"Projet trop tôt pour un prêt : à revoir dans six mois",
	"Hors du territoire couvert par la structure",
	"Capacité d'accueil atteinte cette année",
};
static const char *const meeting_notes[] = {
	"Rendez-vous fixé avec la chargée d'affaires",
	"Premier entretien téléphonique fait, dossier demandé",
};

/* The active partners, once, for routing the demo's dossiers. */
struct demo_dir {
	struct td_partner *v;
	int n, cap;
	bool oom;
};

static int demo_dir_add(const struct td_partner *p, void *ctx)
{
	struct demo_dir *d = ctx;
	if (td_vec_push(&d->v, &d->n, &d->cap, sizeof *p, p, 64)) {
		d->oom = true;
		return TD_ENOMEM;
	}
	return 0;
}

static void stamp(time_t t, char out[TD_TIME_SIZE])
{
	td_time_format(t, out, TD_TIME_SIZE);
}

/* Local date days after t, "YYYY-MM-DD" ("" for no follow-up). */
static void due_after(time_t t, int days, char out[11])
{
	struct tm tm;
	out[0] = '\0';
	t += (time_t)days * 86400;
	if (days > 0 && localtime_r(&t, &tm))
		strftime(out, 11, "%Y-%m-%d", &tm);
}

static int audit_status(struct td_app *app, const struct td_dossier *d,
			const char *who, time_t at, int from, int to,
			td_err *err)
{
	char when[TD_TIME_SIZE], detail[64];
	stamp(at, when);
	snprintf(detail, sizeof detail, "%s -> %s",
		 td_enum_code(&td_statuses, from), td_enum_code(&td_statuses, to));
	return td_store_audit(app->db, when, who, "status", "dossier", d->id,
			      d->id, detail, err);
}

/* One referral of d to partner p: made at t (proposed, then sent the
 * same day), then taken to status final at t_end with a note, and
 * audited as td_app_refer and td_app_referral_update would. */
static int demo_referral(struct td_app *app, struct rng *r,
			 const struct td_dossier *d, const struct td_partner *p,
			 const char *reason, const char *who, time_t t,
			 time_t t_end, int final, td_err *err)
{
	const struct td_routing *ro = td_app_routing(app);
	struct td_referral f;
	char detail[512];
	int rc;

	memset(&f, 0, sizeof f);
	if ((rc = td_store_new_id(d->site, f.id, err)))
		return rc;
	snprintf(f.dossier_id, sizeof f.dossier_id, "%s", d->id);
	snprintf(f.partner_id, sizeof f.partner_id, "%s", p->id);
	snprintf(f.created_by, sizeof f.created_by, "%s", who);
	snprintf(f.reason, sizeof f.reason, "%s", reason);
	stamp(t, f.created_at);
	/* The row as it is now: its last status since t_end. */
	f.status = final;
	stamp(t_end, f.status_at);
	memcpy(f.updated_at, f.status_at, sizeof f.updated_at);
	if (td_referral_is_open(final) || final == TD_RS_NO_ANSWER)
		due_after(t_end, ro->followup_days[final], f.followup_on);
	const char *note = final == TD_RS_ACCEPTED
		? accepted_notes[rnd(r, N(accepted_notes))]
		: final == TD_RS_DECLINED
		? declined_notes[rnd(r, N(declined_notes))]
		: final == TD_RS_MEETING ? meeting_notes[rnd(r, N(meeting_notes))]
		: final == TD_RS_NO_ANSWER ? "Pas de réponse malgré deux relances"
		: "";
	snprintf(f.outcome, sizeof f.outcome, "%s", note);
	if ((rc = td_store_referral_insert(app->db, &f, err)))
		return rc;

	/* The timeline: proposed at t, sent, then the way to final. */
	static const int way[][4] = {
		[TD_RS_PROPOSED] = { -1 },
		[TD_RS_SENT] = { TD_RS_SENT, -1 },
		[TD_RS_MEETING] = { TD_RS_SENT, TD_RS_MEETING, -1 },
		[TD_RS_ACCEPTED] = { TD_RS_SENT, TD_RS_MEETING, TD_RS_ACCEPTED, -1 },
		[TD_RS_DECLINED] = { TD_RS_SENT, TD_RS_DECLINED, -1 },
		[TD_RS_NO_ANSWER] = { TD_RS_SENT, TD_RS_NO_ANSWER, -1 },
	};
	char when[TD_TIME_SIZE];
	snprintf(detail, sizeof detail, "%s (%s): %s", p->name, p->id,
		 td_enum_code(&td_referral_statuses, TD_RS_PROPOSED));
	if ((rc = td_store_audit(app->db, f.created_at, who, "referral",
				 "referral", f.id, d->id, detail, err)))
		return rc;
	int from = TD_RS_PROPOSED, steps = 0;
	while (steps < 4 && way[final][steps] >= 0)
		steps++;
	for (int k = 0; k < steps && !rc; k++) {
		int to = way[final][k];
		/* Evenly between t and t_end, the last at t_end. */
		stamp(t + (t_end - t) * (k + 1) / steps, when);
		int n = snprintf(detail, sizeof detail, "%s: %s -> %s", p->id,
				 td_enum_code(&td_referral_statuses, from),
				 td_enum_code(&td_referral_statuses, to));
		if (k == steps - 1 && f.outcome[0] && n > 0 &&
		    (size_t)n < sizeof detail)
			snprintf(detail + n, sizeof detail - (size_t)n,
				 "; outcome note changed");
		rc = td_store_audit(app->db, when, who, "referral", "referral",
				    f.id, d->id, detail, err);
		from = to;
	}
	return rc;
}

/* The dossier's way from "new" to its status, with the referrals the way
 * needs: a referred dossier has referrals sent or in a meeting, a
 * supported or closed one a partner who accepted, one on hold a partner
 * who did not answer.  Times spread between its creation and updated_at;
 * the partners are those routing suggests for it. */
/* The partners routing suggests for d, best first: at most 3 in fits;
 * returns how many.  c is filled for their reasons. */
static int demo_route(const struct td_app *app, const struct demo_dir *dir,
		      const struct td_dossier *d, struct td_route_case *c,
		      struct td_route_fit fits[3])
{
	const struct td_site_cfg *site = td_config_site(&app->cfg, d->site);
	const struct td_routing *ro = td_app_routing(app);
	memset(c, 0, sizeof *c);
	c->site_name = site ? site->name : d->site;
	c->stage = d->v.stage;
	c->sector = d->v.sector;
	c->needs = d->v.needs;
	c->siret = d->v.siret[0] != '\0';
	c->country = d->v.country;
	snprintf(c->site, sizeof c->site, "%s", d->site);
	return td_route_rank(dir->v, dir->n, ro->rules, ro->nrules, c, fits, 3);
}

static int demo_history(struct td_app *app, struct rng *r,
			const struct td_dossier *d, const struct demo_dir *dir,
			time_t created, time_t updated, td_err *err)
{
	static const int ways[][5] = {
		[TD_ST_NEW] = { -1 },
		[TD_ST_TRIAGED] = { TD_ST_TRIAGED, -1 },
		[TD_ST_REFERRED] = { TD_ST_TRIAGED, TD_ST_REFERRED, -1 },
		[TD_ST_SUPPORTED] = { TD_ST_TRIAGED, TD_ST_REFERRED,
				      TD_ST_SUPPORTED, -1 },
		[TD_ST_CLOSED] = { TD_ST_TRIAGED, TD_ST_REFERRED,
				   TD_ST_SUPPORTED, TD_ST_CLOSED, -1 },
		[TD_ST_ON_HOLD] = { TD_ST_TRIAGED, TD_ST_REFERRED,
				    TD_ST_ON_HOLD, -1 },
	};
	const char *who = d->assigned_to[0] ? d->assigned_to : officer;
	int steps = 0, from = TD_ST_NEW, rc = TD_OK;
	while (ways[d->status][steps] >= 0)
		steps++;
	time_t span = updated > created ? updated - created : 0;
	/* The first steps come soon (a triage within days), the last at
	 * updated: step k of n at ((k + 1) / n)^3 of the span. */
#define AT(k) (created + (time_t)((double)span * ((k) + 1) * ((k) + 1) * \
				  ((k) + 1) / ((double)steps * steps * steps)))
	for (int k = 0; k < steps && !rc; k++) {
		int to = ways[d->status][k];
		time_t at = AT(k);
		if (to == TD_ST_REFERRED) {
			/* The partners routing suggests for this dossier. */
			struct td_route_case c;
			struct td_route_fit fits[3];
			const struct td_routing *ro = td_app_routing(app);
			int nf = demo_route(app, dir, d, &c, fits);
			int want = nf > 1 && rnd(r, 3) == 0 ? 2 : nf > 0 ? 1 : 0;
			/* Where the way goes on, the first partner's answer. */
			int answer = d->status == TD_ST_REFERRED
				? (rnd(r, 3) ? TD_RS_SENT : TD_RS_MEETING)
				: d->status == TD_ST_ON_HOLD ? TD_RS_NO_ANSWER
							     : TD_RS_ACCEPTED;
			time_t end = steps > k + 1 ? AT(k + 1) : updated;
			for (int i = 0; i < want && !rc; i++) {
				char reason[256];
				td_route_reason(&fits[i], &c, ro->rules, reason,
						sizeof reason);
				rc = demo_referral(app, r, d,
					&dir->v[fits[i].partner], reason, who, at,
					end, i == 0 ? answer : TD_RS_DECLINED, err);
			}
		}
		if (!rc)
			rc = audit_status(app, d, who, at, from, to, err);
		from = to;
	}
#undef AT
	return rc;
}

static const char *const site_codes[] = { "THI", "MET", "NAN", "EPI" };

static int demo_users(struct td_app *app, td_err *err)
{
	int rc = TD_OK;
	static const struct td_user_rec users[] = {
		{ "accueil.thi", "Sophie Kieffer", "reception", "THI" },
		{ "accueil.met", "Lucie Bérenger", "reception", "MET" },
		{ "accueil.nan", "Mehdi Haddad", "reception", "NAN" },
		{ "accueil.epi", "Émilie Vuillemin", "reception", "EPI" },
		{ "julien.marchal", "Julien Marchal", "officer", "COO" },
	};
	for (size_t i = 0; i < N(users) && !rc; i++)
		rc = td_store_user_put(app->db, &users[i], err);
	return rc;
}

int td_app_demo_fill(struct td_app *app, int n, unsigned seed, td_err *err)
{
	struct rng r = { 0x9E3779B97F4A7C15ULL ^ seed };
	char nowiso[TD_TIME_SIZE];
	time_t now, *when;
	struct demo_dir dir = { 0 };
	int rc;

	td_store_now(nowiso);
	if (td_time_parse(nowiso, &now) != 0)
		now = time(NULL);
	when = calloc((size_t)n, sizeof *when);
	struct td_dossier *d = calloc(1, sizeof *d);
	if (!when || !d) {
		free(when);
		free(d);
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	}
	time_t midnight = td_local_midnight(now);
	long since_midnight = (long)(now - midnight);
	int today = n / 12;
	for (int i = 0; i < n; i++) {
		if (i < today)
			when[i] = now - (time_t)rnd(&r, (unsigned)(since_midnight > 60
					? since_midnight : 60));
		else
			when[i] = now - 86400 -
				  (time_t)rnd(&r, (unsigned)DEMO_DAYS * 86400u);
	}
	qsort(when, (size_t)n, sizeof *when, cmp_time);

	if ((rc = td_store_begin(app->db, err)))
		goto out;
	if ((rc = demo_users(app, err)))
		goto rollback;
	rc = td_store_partner_each(app->db, true, demo_dir_add, &dir, err);
	if (dir.oom)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (rc)
		goto rollback;
	for (int i = 0; i < n && !rc; i++) {
		const char *site = site_codes[rnd(&r, N(site_codes))];
		/* Everyone registered today visited this installation's
		 * site half of the time, so the "today" list is lively. */
		if (when[i] >= midnight && rnd(&r, 2) && !app->site->coordination)
			site = app->site->code;
		const struct place *pl;
		do
			pl = &places[rnd(&r, N(places))];
		while (strcmp(pl->site, site) != 0);
		int age = (int)((now - when[i]) / 86400);
		struct td_intake raw;
		struct td_intake_check chk;
		fill_record(&r, pl, age, &raw);
		memset(d, 0, sizeof *d);
		if (td_intake_check(&raw, 0, &d->v, &chk) > 0)
			continue; /* never happens with the lists above */
		td_time_format(when[i], d->created_at, sizeof d->created_at);
		memcpy(d->consent_at, d->created_at, sizeof d->consent_at);
		snprintf(d->consent_version, sizeof d->consent_version, "%s",
			 app->cfg.consent_version);
		snprintf(d->site, sizeof d->site, "%s", site);
		snprintf(d->created_by, sizeof d->created_by, "accueil.%c%c%c",
			 site[0] + 32, site[1] + 32, site[2] + 32);
		d->status = pick_status(&r, age);
		/* Past triage, the way goes through a referral: a dossier no
		 * partner serves stays triaged. */
		if (d->status >= TD_ST_REFERRED) {
			struct td_route_case c;
			struct td_route_fit fits[3];
			if (demo_route(app, &dir, d, &c, fits) == 0)
				d->status = TD_ST_TRIAGED;
		}
		if (d->status != TD_ST_NEW)
			snprintf(d->assigned_to, sizeof d->assigned_to, "%s",
				 rnd(&r, 3) ? officer : app->me->login);
		time_t upd = d->status == TD_ST_NEW ? when[i]
			     : when[i] + (time_t)rnd(&r, (unsigned)(now - when[i]) + 1);
		td_time_format(upd, d->updated_at, sizeof d->updated_at);
		d->version = 1;
		struct tm tm;
		gmtime_r(&when[i], &tm);
		char detail[128];
		if ((rc = td_store_new_id(site, d->id, err)) ||
		    (rc = td_store_new_id(site, d->holder_id, err)) ||
		    (rc = td_store_reference_next(app->db, site, tm.tm_year + 1900,
						  d->reference, err)) ||
		    (rc = td_store_dossier_insert(app->db, d, err)))
			break;
		snprintf(detail, sizeof detail, "%s %s", d->reference, site);
		rc = td_store_audit(app->db, d->created_at, d->created_by, "create",
				    "dossier", d->id, d->id, detail, err);
		if (!rc)
			rc = demo_history(app, &r, d, &dir, when[i], upd, err);
	}
	if (rc)
		goto rollback;
	rc = td_store_commit(app->db, err);
	goto out;
rollback:
	td_store_rollback(app->db);
out:
	free(dir.v);
	free(when);
	free(d);
	return rc;
}

void td_app_demo_goals(struct td_config *cfg)
{
	/* The example configuration's goals, over the demo's own period:
	 * from the first of January before its oldest dossier, three
	 * years. */
	static const struct {
		const char *name;
		long target;
		int statuses[3];
	} goals[] = {
		{ "Startups accompagnées", 300,
		  { TD_ST_SUPPORTED, TD_ST_CLOSED, -1 } },
		{ "Porteurs orientés vers un partenaire", 600,
		  { TD_ST_REFERRED, TD_ST_SUPPORTED, TD_ST_CLOSED } },
	};
	char nowiso[TD_TIME_SIZE];
	time_t now;
	struct tm tm;
	td_store_now(nowiso);
	if (td_time_parse(nowiso, &now) != 0)
		now = time(NULL);
	now -= (time_t)DEMO_DAYS * 86400;
	localtime_r(&now, &tm);
	cfg->ngoals = 0;
	for (size_t i = 0; i < N(goals) && i < TD_MAX_GOALS; i++) {
		struct td_goal_cfg *g = &cfg->goals[cfg->ngoals++];
		memset(g, 0, sizeof *g);
		snprintf(g->name, sizeof g->name, "%s", goals[i].name);
		g->target = goals[i].target;
		unsigned y = (unsigned)(tm.tm_year + 1900) % 9000u;
		snprintf(g->from, sizeof g->from, "%04u-01-01", y);
		snprintf(g->to, sizeof g->to, "%04u-12-31", y + 2);
		for (int k = 0; k < 3; k++)
			if (goals[i].statuses[k] >= 0)
				g->statuses |= 1u << goals[i].statuses[k];
	}
}
