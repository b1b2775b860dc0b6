/* The duplicate panel of the intake form.
 *
 * Typing stays instant because the lookup runs from the form's draw, not
 * per key: the main loop hands every key already waiting (typeahead, a
 * paste, a fast typist) to the form before it draws, so a burst of keys
 * costs one lookup; and the lookup only runs when one of the fields it
 * reads has changed (moving between fields, ticking needs or choosing a
 * stage cost nothing).  The lookup itself is a few index seeks
 * (tests/bench/dup; figures in docs/benchmarks.md). */
#include "form_dup.h"

#include "totemdesk/config.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SHOWN_MAX TD_FORM_DUP_MAX

void td_form_dup_reset(struct td_form_dup *d)
{
	memset(d, 0, sizeof *d);
}

/* The fields a lookup reads, in one string (unit separators between). */
static void fingerprint(const struct td_intake *r, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
		 r->last_name, r->first_name, r->email, r->phone, r->postcode,
		 r->title, r->siret);
}

static bool same_matches(const struct td_dup_match *a, int na,
			 const struct td_dup_match *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (strcmp(a[i].holder_id, b[i].holder_id) != 0 ||
		    a[i].reasons != b[i].reasons)
			return false;
	return true;
}

static bool lookup(struct td_ui *ui, struct td_form_dup *D,
		   const struct td_intake *rec)
{
	struct td_dup_match m[SHOWN_MAX];
	td_err err = { 0 };
	int n = 0;

	/* A failing lookup (database busy for a moment) must not stop the
	 * intake: the panel simply shows nothing this time. */
	if (td_app_dup_lookup(ui->app, rec, m, SHOWN_MAX, &n, &err) != TD_OK)
		n = 0;
	if (same_matches(D->m, D->n, m, n))
		return false;
	memcpy(D->m, m, (size_t)n * sizeof m[0]);
	D->n = n;
	D->cur = 0;
	return true;
}

bool td_form_dup_refresh(struct td_ui *ui, struct td_form_dup *D,
			 const struct td_intake *rec)
{
	char fp[sizeof D->seen];

	bool dirty = D->dirty;

	D->dirty = false;
	fingerprint(rec, fp, sizeof fp);
	if (D->looked && strcmp(fp, D->seen) == 0)
		return dirty;
	memcpy(D->seen, fp, sizeof fp);
	D->looked = true;
	return lookup(ui, D, rec) || dirty;
}

/* "same e-mail, similar name, same postcode" */
static void reasons_text(unsigned r, char *out, size_t outsz)
{
	static const struct {
		unsigned bit;
		const char *text;
	} names[] = {
		{ TD_DUP_EMAIL, N_("same e-mail") },
		{ TD_DUP_PHONE, N_("same phone") },
		{ TD_DUP_SIRET, N_("same SIREN") },
		{ TD_DUP_NAME_EXACT, N_("same name") },
		{ TD_DUP_NAME_TYPO, N_("similar name") },
		{ TD_DUP_NAME_SWAP, N_("names swapped") },
		{ TD_DUP_POSTCODE, N_("same postcode") },
		{ TD_DUP_TITLE, N_("same project") },
	};
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(r & names[i].bit))
			continue;
		int w = snprintf(out + len, outsz - len, "%s%s",
				 len ? ", " : "", _(names[i].text));
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

/* The reasons that make a match strong: the same person, not a look-alike. */
#define STRONG (TD_DUP_EMAIL | TD_DUP_PHONE | TD_DUP_SIRET)

/* "at the Totem Le Paddock (Nancy)" of site code, or "at CODE". */
static void where(struct td_ui *ui, const char *code, char *out, size_t outsz)
{
	const struct td_site_cfg *s =
		td_config_site(td_app_config(ui->app), code);
	if (!s || s->coordination || !s->totem[0])
		/* TRANSLATORS: where a dossier is followed: a site's name
		 * (or code), then its code. */
		snprintf(out, outsz, _("at %s (%s)"), s ? s->name : code, code);
	else
		/* TRANSLATORS: where a dossier is followed: a Totem's name,
		 * then its site's name. */
		snprintf(out, outsz, _("at the Totem %s (%s)"),
			 /* "Totem French Tech de Nancy": said once. */
			 strncasecmp(s->totem, "Totem ", 6) == 0 ? s->totem + 6
								  : s->totem,
			 s->name);
}

/* Whom to ask at site code, by name (td_app_site_contacts), else "its
 * reception desk". */
static void whom(struct td_ui *ui, const char *code, char *out, size_t outsz)
{
	if (td_app_site_contacts(ui->app, code, out, outsz) == 0)
		snprintf(out, outsz, "%s", _("its reception desk"));
}

/* Another site's match: where it is held, whom to ask, and, when asked
 * for, a note of it in the new dossier. */
static void held_elsewhere(struct td_ui *ui, struct td_form_dup *D,
		       const struct td_dup_match *m)
{
	char place[300], who[300], why[200], q[1200];
	where(ui, m->site, place, sizeof place);
	whom(ui, m->site, who, sizeof who);
	reasons_text(m->reasons, why, sizeof why);
	for (int i = 0; i < D->nnoted; i++)
		if (strcmp(D->noted[i], m->reference) == 0) {
			snprintf(q, sizeof q,
				 _("Dossier %s is followed %s: ask %s. The match will be noted in the new dossier."),
				 m->reference, place, who);
			td_ui_flash(ui, false, q);
			return;
		}
	snprintf(q, sizeof q,
		 _("Dossier %s (%s) is followed %s; you cannot open it: ask %s. Note the match in the new dossier when it is saved?"),
		 m->reference, why, place, who);
	if (!td_ui_confirm(ui, q) || D->nnoted == TD_FORM_DUP_MAX)
		return;
	snprintf(D->noted[D->nnoted], sizeof D->noted[0], "%s", m->reference);
	snprintf(D->noted_why[D->nnoted], sizeof D->noted_why[0], "%s", why);
	D->nnoted++;
	snprintf(q, sizeof q,
		 _("The match with %s will be noted in the new dossier."),
		 m->reference);
	td_ui_flash(ui, false, q);
}

bool td_form_dup_save_ok(struct td_ui *ui, struct td_form_dup *D,
			 const struct td_intake *rec)
{
	char why[200], q[1200];
	int i;

	td_form_dup_refresh(ui, D, rec);
	for (i = 0; i < D->n; i++)
		if (D->m[i].reasons & STRONG)
			break;
	if (i == D->n)
		return true;
	const struct td_dup_match *m = &D->m[i];
	reasons_text(m->reasons & STRONG, why, sizeof why);
	if (m->other_site) {
		for (int k = 0; k < D->nnoted; k++)
			if (strcmp(D->noted[k], m->reference) == 0)
				return true;      /* seen, and noted */
		char place[300];
		where(ui, m->site, place, sizeof place);
		snprintf(q, sizeof q,
			 _("Dossier %s, followed %s: %s. Register a new dossier anyway? (no: back to the form)"),
			 m->reference, place, why);
		if (td_ui_confirm(ui, q))
			return true;
		D->cur = i;
		D->dirty = true;
		held_elsewhere(ui, D, m);
		return false;
	}
	snprintf(q, sizeof q,
		 /* TRANSLATORS: reference, last and first name, then why
		  * ("same e-mail, same phone"). */
		 _("Dossier %s (%s %s): %s. Register a new dossier anyway? (no: open dossier %s)"),
		 m->reference, m->last_name, m->first_name, why, m->reference);
	if (td_ui_confirm(ui, q))
		return true;
	D->cur = i;
	D->dirty = true;
	td_ui_push(ui, &td_scr_detail, m->reference);
	return false;
}

bool td_form_dup_write_notes(struct td_ui *ui, const struct td_form_dup *D,
			     const char *ref)
{
	const char *one[] = { ref };
	char body[600];
	td_err err = { 0 };
	for (int i = 0; i < D->nnoted; i++) {
		char place[300], code[4];
		/* A reference starts with its site's code. */
		snprintf(code, sizeof code, "%.3s", D->noted[i]);
		where(ui, code, place, sizeof place);
		snprintf(body, sizeof body,
			 _("Possibly the same person as in dossier %s, followed %s (%s): seen at intake."),
			 D->noted[i], place, D->noted_why[i]);
		if (td_app_queue_note(ui->app, one, NULL, 1, body, NULL, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return false;
		}
	}
	return true;
}

void td_form_dup_draw(struct td_ui *ui, const struct td_form_dup *D, int top,
		      int last)
{
	int cols = getmaxx(ui->win);
	char open[64], dismiss[64], next[64], line[900], when[64];
	char why[200], who[600];
	int y = top;

	td_keymap_display(TD_A_DUP_OPEN, 1, true, open, sizeof open);
	td_keymap_display(TD_A_DUP_DISMISS, 1, true, dismiss, sizeof dismiss);
	td_keymap_display(TD_A_DUP_NEXT, 1, true, next, sizeof next);
	if (D->n > 1)
		snprintf(line, sizeof line,
			 _("Already registered? %s open  %s not the same person  %s next (%d)"),
			 open, dismiss, next, D->n);
	else
		snprintf(line, sizeof line,
			 _("Already registered? %s open  %s not the same person"),
			 open, dismiss);
	if (y <= last)
		td_ui_put(ui, y++, 0, cols, line, td_ui_attr(ui, TD_R_ERROR),
			  true);
	/* Keep the selected match visible when more than fit. */
	int rows = last - y + 1;
	int first = D->cur >= rows ? D->cur - rows + 1 : 0;
	for (int i = first; i < D->n && y <= last; i++) {
		const struct td_dup_match *m = &D->m[i];
		reasons_text(m->reasons, why, sizeof why);
		if (m->other_site) {
			/* Only where and why: src/app left the rest out. */
			snprintf(line, sizeof line, "%s %s  %s  %s",
				 i == D->cur ? ">" : " ", m->reference, m->site,
				 why);
			td_ui_put(ui, y++, 0, cols, line,
				  td_ui_attr(ui, i == D->cur ? TD_R_SELECTED
							    : TD_R_NORMAL), true);
			continue;
		}
		td_ui_local_time(ui, m->created_at, true, when, sizeof when);
		/* The date only: the time does not help recognise anyone. */
		char *sp = strchr(when, ' ');
		if (sp)
			*sp = '\0';
		snprintf(who, sizeof who,
			 /* TRANSLATORS: a possible duplicate: last name, first
			  * name, then why it looks like the same person
			  * ("same e-mail, same phone"). */
			 _("%s %s: %s"), m->last_name, m->first_name, why);
		char status[64];
		snprintf(line, sizeof line, "%s %s  %s  %s  %s %s",
			 i == D->cur ? ">" : " ", m->reference, m->site, when,
			 td_ui_fit(ui, td_enum_label(&td_statuses, m->status),
				   10, status, sizeof status), who);
		td_ui_put(ui, y++, 0, cols, line,
			  td_ui_attr(ui, i == D->cur ? TD_R_SELECTED
						    : TD_R_NORMAL), true);
	}
	while (y <= last)
		td_ui_put(ui, y++, 0, cols, "", A_NORMAL, true);
}

bool td_form_dup_act(struct td_ui *ui, struct td_form_dup *D,
		     enum td_action a)
{
	td_err err = { 0 };
	char msg[256];

	if (a != TD_A_DUP_OPEN && a != TD_A_DUP_DISMISS && a != TD_A_DUP_NEXT)
		return false;
	if (D->n == 0) {
		td_ui_flash(ui, false,
			    _("No dossier looks like this visitor so far."));
		return true;
	}
	const struct td_dup_match *m = &D->m[D->cur];
	switch (a) {
	case TD_A_DUP_NEXT:
		D->cur = (D->cur + 1) % D->n;
		D->dirty = true;
		break;
	case TD_A_DUP_OPEN:
		if (m->other_site) {
			held_elsewhere(ui, D, m);
			return true;
		}
		/* The form stays underneath: back from the dossier, the
		 * receptionist leaves it (Esc) or goes on if it was not the
		 * same person after all. */
		td_ui_push(ui, &td_scr_detail, m->reference);
		return true;
	default:
		if (td_app_dup_dismiss(ui->app, m, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return true;
		}
		snprintf(msg, sizeof msg,
			 _("Noted: not the same person as in dossier %s."),
			 m->reference);
		td_ui_flash(ui, false, msg);
		/* Look up again: the next match, if any, takes its place. */
		D->looked = false;
		D->dirty = true;
		break;
	}
	return true;
}
