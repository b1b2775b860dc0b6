/* Partners screen: the directory as a virtual list (vlist.h, over the
 * array the search returns) with a search box
 * (typing filters at once, accents and case ignored), a detail page, an
 * edit page for adding or changing a partner, and deactivation (a partner
 * is never deleted: its referrals keep pointing at it). */
#include "edit.h"
#include "prompt.h"
#include "tui.h"
#include "view.h"
#include "vlist.h"

#include "totemdesk/i18n.h"
#include "totemdesk/partner.h"
#include "totemdesk/text.h"
#include "totemdesk/validate.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_ROW 2
#define HEAD_ROW 3
#define FIRST_ROW 4

/* Longest search typed, in bytes. */
#define QUERY_MAX 63

struct partners {
	struct td_edit search;
	char query[QUERY_MAX + 1];  /* the search, UTF-8 */
	bool inactive;         /* show inactive partners too */
	struct td_partner *v;
	int n;
	struct td_vlist vl;
	char err[512];
	char sel_id[TD_PARTNER_ID_MAX + 1];
	bool may_edit;         /* the directory may be edited (perm.c) */
};

/* What the detail and edit pages open with: the partner's id ("" on
 * the edit page: add one), and the list's selection below them, which
 * the edit page moves to the partner it saved. */
struct partner_arg {
	const char *id;
	char *sel_id;
};

static const struct td_screen scr_detail, scr_edit;

/* Typing searches at once: every printable key is the search's, the
 * list keeps its arrows and pages, and Esc empties the search first. */
static const struct td_keyctx list_keys = {
	.ctx = { TD_KC_PARTNERS, TD_KC_LIST, TD_KC_EDIT, TD_KC_GLOBAL },
	.text = true,
	.hints = { TD_A_OPEN, TD_A_P_ADD, TD_A_P_EDIT, TD_A_P_ACTIVE,
		   TD_A_P_INACTIVE },
};

/* The same for whom may not edit the directory: the editing keys are
 * not offered (they say why when pressed). */
static const struct td_keyctx list_keys_read = {
	.ctx = { TD_KC_PARTNERS, TD_KC_LIST, TD_KC_EDIT, TD_KC_GLOBAL },
	.text = true,
	.hints = { TD_A_OPEN, TD_A_P_INACTIVE, TD_A_BACK, TD_A_HELP },
};

static const struct td_keyctx *list_mode(const void *st)
{
	return ((const struct partners *)st)->may_edit ? &list_keys
						       : &list_keys_read;
}

/* May the directory be edited?  Else say why, now: before the edit page
 * is filled in, not after. */
static bool may_edit(struct td_ui *ui)
{
	td_err err = { 0 };
	if (td_app_may_edit_partners(ui->app, &err) == TD_OK)
		return true;
	td_ui_flash(ui, true, err.msg);
	return false;
}

/* By name, accents and case ignored, as people look a partner up. */
static int by_name(const void *a, const void *b)
{
	char fa[512], fb[512];
	td_text_fold(((const struct td_partner *)a)->name, fa, sizeof fa);
	td_text_fold(((const struct td_partner *)b)->name, fb, sizeof fb);
	int c = strcmp(fa, fb);
	return c ? c : strcmp(((const struct td_partner *)a)->id,
			      ((const struct td_partner *)b)->id);
}

static void partner_key(const void *row, char out[TD_VLIST_KEY])
{
	snprintf(out, TD_VLIST_KEY, "%s", ((const struct td_partner *)row)->id);
}

static void load(struct td_ui *ui, struct partners *P)
{
	td_err err = { 0 };
	free(P->v);
	P->v = NULL;
	P->n = 0;
	P->err[0] = '\0';
	if (td_app_partner_list(ui->app, P->query, P->inactive, &P->v, &P->n,
				&err) != TD_OK)
		snprintf(P->err, sizeof P->err, "%s", err.msg);
	if (P->n > 1)
		qsort(P->v, (size_t)P->n, sizeof *P->v, by_name);
	/* Keep the selection on the same partner across reloads. */
	td_vlist_set_array(&P->vl, P->v, P->n, sizeof *P->v, partner_key,
			   P->sel_id);
}

static int list_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct partners *P = st;
	td_err err = { 0 };
	td_edit_init(&P->search, 0, QUERY_MAX);
	P->may_edit = td_app_may_edit_partners(ui->app, &err) == TD_OK;
	load(ui, P);
	return TD_OK;
}

static void list_leave(struct td_ui *ui, void *st)
{
	struct partners *P = st;
	td_vlist_free(&P->vl);
	free(P->v);
}

/* Back from the edit page: the partner saved shows, selected. */
static void list_resume(struct td_ui *ui, void *st)
{
	load(ui, st);
}

static int rows(const struct td_ui *ui)
{
	return td_ui_rows(ui, FIRST_ROW, true);
}

/* Below 100 columns the id (what the configuration's routing rules name;
 * the detail shows it) makes way, and the name stops at 40: a row
 * scrolled in on a vt100 stays under 100 bytes (issue 6).  The sites (of
 * varying length) last: a row scrolled in on a vt100 has no cursor jump
 * over their blanks. */
enum { C_ID, C_NAME, C_LOAD, C_SITES, C_COUNT };

static const struct td_vcol_def col_defs[] = {
	{ .id = C_ID, .w = 28, .from = 100 },
	{ .id = C_NAME, .until = 100, .flex = 10, .max = 40 },
	{ .id = C_NAME, .from = 100, .flex = 10 },
	{ .id = C_LOAD, .w = 7 },
	{ .id = C_SITES, .until = 100 },
	{ .id = C_SITES, .w = 12, .from = 100 },
};

static void draw_row(struct td_ui *ui, void *ctx, int y, long i,
		     const void *row, bool sel)
{
	const struct td_vcol *c = ctx;
	int cols = getmaxx(ui->win);
	char line[512];
	const struct td_partner *p = row;

	if (!p) {
		td_ui_put(ui, y, 0, cols, "", A_NORMAL, true);
		return;
	}
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT
			      : p->active ? TD_R_NORMAL : TD_R_HELP);
	td_ui_put(ui, y, 0, cols, "", a, true);
	td_ui_put(ui, y, 0, 2, sel ? ">" : "", a, false);
	if (c[C_ID].w)
		td_ui_put(ui, y, c[C_ID].x, c[C_ID].w, p->id, a, false);
	/* Long names keep their end, which tells them apart ("... de la
	 * Moselle (CMA 57)"), and the city when the name lacks it. */
	char name[512], shown[512];
	if (p->city[0] && !strstr(p->name, p->city))
		snprintf(name, sizeof name, "%s, %s", p->name, p->city);
	else
		snprintf(name, sizeof name, "%s", p->name);
	snprintf(line, sizeof line, "%s%s",
		 td_ui_fit_ends(ui, name, c[C_NAME].w - (p->active ? 0
			 : td_ui_text_cols(ui, _(" (inactive)"))),
			 shown, sizeof shown),
		 p->active ? "" : _(" (inactive)"));
	td_ui_put(ui, y, c[C_NAME].x, c[C_NAME].w, line, a, false);
	if (p->capacity)
		snprintf(line, sizeof line, "%d/%d", p->open, p->capacity);
	else
		snprintf(line, sizeof line, "%d", p->open);
	td_ui_put(ui, y, c[C_LOAD].x, c[C_LOAD].w, line, a, false);
	td_ui_put(ui, y, c[C_SITES].x, c[C_SITES].w,
		  strcmp(p->sites, "ALL") ? p->sites
					  : C_("partner sites", "all"),
		  a, false);
}

static void list_draw(struct td_ui *ui, void *st, bool full)
{
	struct partners *P = st;
	int cols = getmaxx(ui->win);
	int n = rows(ui);
	char title[256];

	/* Changes from another program (ours from the pages above:
	 * list_resume). */
	if (td_app_changed(ui->app))
		load(ui, P);
	snprintf(title, sizeof title,
		 ngettext("Partners: %d", "Partners: %d", (unsigned long)P->n),
		 P->n);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);
	int lw = td_ui_put(ui, SEARCH_ROW, 0, cols, _("Search:"),
			   td_ui_attr(ui, TD_R_LABEL), false);
	td_ui_put(ui, SEARCH_ROW, lw, 1, " ", A_NORMAL, true);
	attr_t fa = td_ui_attr(ui, TD_R_FIELD_FOCUS);
	int cx = td_edit_draw(ui, &P->search, SEARCH_ROW, lw + 1, cols - lw - 1,
			      fa, fa);

	struct td_vcol c[C_COUNT], v[C_COUNT + 3];
	int nc = td_vlist_layout(cols, 2, 0, col_defs,
				 (int)(sizeof col_defs / sizeof col_defs[0]),
				 NULL, NULL, v);
	memset(c, 0, sizeof c);
	for (int i = 0; i < nc; i++)
		c[v[i].id] = v[i];
	attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
	td_ui_put(ui, HEAD_ROW, 0, cols, "", h, true);
	if (c[C_ID].w)
		td_ui_put(ui, HEAD_ROW, c[C_ID].x, c[C_ID].w, _("Id"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_NAME].x, c[C_NAME].w, _("Name"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_LOAD].x, c[C_LOAD].w, _("Ongoing"), h,
		  false);
	td_ui_put(ui, HEAD_ROW, c[C_SITES].x, c[C_SITES].w, _("Sites"), h,
		  false);
	td_vlist_draw(ui, &P->vl, FIRST_ROW, n, draw_row, c);
	if (P->err[0])
		td_ui_draw_message(ui, P->err, TD_R_ERROR);
	else
		td_ui_draw_message(ui, P->n ? ""
					   : _("No partner matches the search."),
				   TD_R_HELP);
	/* Typing searches: the cursor waits in the search box once a
	 * search is typed; before, on the selected row (td_vlist_draw),
	 * where a row scrolled in is written: on a vt100 a move to the box
	 * and back costs 9 bytes more each step (issue 10).  The label
	 * "Search:" says what typing does. */
	if (P->search.len > 0 || P->n == 0) {
		ui->cur_y = SEARCH_ROW;
		ui->cur_x = cx;
	}
	ui->cursor_on = true;
}

static const struct td_partner *selected(const struct partners *P)
{
	return td_vlist_cur(&P->vl);
}

static void toggle_active(struct td_ui *ui, struct partners *P)
{
	const struct td_partner *p = selected(P);
	td_err err = { 0 };
	char q[400];
	if (!p)
		return;
	snprintf(q, sizeof q,
		 p->active ? _("Deactivate %s? It will no longer be suggested; its referrals are kept.")
			   : _("Reactivate %s?"), p->name);
	if (!td_ui_confirm(ui, q))
		return;
	snprintf(P->sel_id, sizeof P->sel_id, "%s", p->id);
	if (td_app_partner_set_active(ui->app, p->id, !p->active, &err) != TD_OK)
		td_ui_flash(ui, true, err.msg);
	else if (!P->inactive && p->active) {
		char keys[64];
		td_keymap_display(TD_A_P_INACTIVE, 2, true, keys, sizeof keys);
		snprintf(q, sizeof q,
			 /* TRANSLATORS: %s is the key (or keys, "F7/^V")
			  * that shows inactive partners, as configured. */
			 _("Partner deactivated (%s shows inactive partners)."),
			 keys);
		td_ui_flash(ui, false, q);
	}
	load(ui, P);
}

/* The search typed changed: search again. */
static void search(struct td_ui *ui, struct partners *P, bool grew)
{
	td_edit_get(&P->search, P->query, sizeof P->query);
	if (grew) {
		/* A narrower search starts from its best match. */
		P->vl.sc.cur = P->vl.sc.top = 0;
		P->sel_id[0] = '\0';
	}
	load(ui, P);
}

static bool list_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct partners *P = st;
	const struct td_partner *p = selected(P);

	switch (a) {
	case TD_A_P_ADD:
	case TD_A_P_EDIT:
	case TD_A_P_ACTIVE:
		if (!may_edit(ui))
			return true;
		break;
	default:
		break;
	}
	switch (a) {
	case TD_A_P_ADD:
		P->sel_id[0] = '\0';
		td_ui_push(ui, &scr_edit,
			   &(struct partner_arg){ "", P->sel_id });
		return true;
	case TD_A_P_EDIT:
		if (p) {
			snprintf(P->sel_id, sizeof P->sel_id, "%s", p->id);
			td_ui_push(ui, &scr_edit,
				   &(struct partner_arg){ P->sel_id, P->sel_id });
		}
		return true;
	case TD_A_P_ACTIVE:
		toggle_active(ui, P);
		return true;
	case TD_A_P_INACTIVE:
		P->inactive = !P->inactive;
		load(ui, P);
		return true;
	case TD_A_OPEN:
		if (p) {
			snprintf(P->sel_id, sizeof P->sel_id, "%s", p->id);
			td_ui_push(ui, &scr_detail,
				   &(struct partner_arg){ P->sel_id, P->sel_id });
		}
		return true;
	case TD_A_BACK:
		/* Esc empties the search first, then leaves. */
		if (P->search.len) {
			td_edit_act(&P->search, TD_A_CLEAR, NULL);
			search(ui, P, false);
		} else {
			td_ui_pop(ui);
		}
		return true;
	default:
		break;
	}
	switch (td_edit_act(&P->search, a, k)) {
	case TD_EDIT_CHANGED:
		search(ui, P, a == TD_A_NONE);
		return true;
	case TD_EDIT_IGNORED:
		break;
	default:
		return true;
	}
	bool moved = td_vlist_act(&P->vl, a, rows(ui));
	if (moved && selected(P))
		snprintf(P->sel_id, sizeof P->sel_id, "%s", selected(P)->id);
	return moved;
}

const struct td_screen td_scr_partners = {
	.name = "partners",
	.size = sizeof(struct partners),
	.keys = &list_keys,
	.mode = list_mode,
	.enter = list_enter,
	.leave = list_leave,
	.draw = list_draw,
	.act = list_act,
	.resume = list_resume,
};

/* ---- detail ------------------------------------------------------------ */

struct detail {
	struct td_view v;
	char title[300];
	char id[TD_PARTNER_ID_MAX + 1];
	char *sel_id;          /* the list's, below */
	bool may_edit;
};

static const struct td_keyctx detail_keys = {
	.ctx = { TD_KC_PARTNERS, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_P_EDIT, TD_A_BACK },
};

static const struct td_keyctx detail_keys_read = {
	.ctx = { TD_KC_PARTNERS, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_BACK, TD_A_HELP },
};

static const struct td_keyctx *detail_mode(const void *st)
{
	return ((const struct detail *)st)->may_edit ? &detail_keys
						     : &detail_keys_read;
}

/* The directory's sources ("https://host/path | https://...") as their
 * sites, each once: below 90 columns the whole addresses took five
 * lines of a partner's first page on a vt100 (about 300 bytes); the
 * editor (^E) and the export show them whole. */
static const char *source_hosts(const char *src, char *out, size_t outsz)
{
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = src; *p;) {
		size_t n = strcspn(p, "|");
		char one[512];
		snprintf(one, sizeof one, "%.*s", (int)n, p);
		char *h = one + strspn(one, " ");
		char *sch = strstr(h, "://");
		if (sch)
			h = sch + 3;
		if (strncmp(h, "www.", 4) == 0)
			h += 4;
		h[strcspn(h, "/ ")] = '\0';
		if (*h && !strstr(out, h)) {
			int w = snprintf(out + o, outsz - o, "%s%s", o ? ", " : "",
					 h);
			if (w < 0 || (size_t)w >= outsz - o)
				break;
			o += (size_t)w;
		}
		p += n;
		if (*p == '|')
			p++;
	}
	return out;
}

static int detail_enter(struct td_ui *ui, void *st, const void *arg)
{
	const struct partner_arg *pa = arg;
	struct detail *D = st;
	struct td_view *V = &D->v;
	struct td_partner p;
	td_err err = { 0 };
	char buf[600];

	if (td_app_partner_get(ui->app, pa->id, &p, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return err.code;
	}
	D->sel_id = pa->sel_id;
	D->may_edit = td_app_may_edit_partners(ui->app, &err) == TD_OK;
	snprintf(D->id, sizeof D->id, "%s", p.id);
	snprintf(D->title, sizeof D->title, _("Partner %s"), p.name);
	V->label_w = 18;
	V->fit_labels = true;
	td_view_add(V, _("Id"), p.id, TD_R_NORMAL);
	/* The title holds the name, unless it is cut there. */
	if (td_ui_text_cols(ui, D->title) > getmaxx(ui->win) - 4)
		td_view_add(V, _("Name"), p.name, TD_R_NORMAL);
	td_view_add(V, _("Status"), p.active ? _("active") : _("inactive"),
		    p.active ? TD_R_NORMAL : TD_R_ERROR);
	/* Kinds, needs, stages and sectors are stored as codes: shown as
	 * the words of the vocabulary, in the user's language. */
	td_ui_code_labels(p.kinds, &td_partner_kinds, buf, sizeof buf);
	td_view_add(V, _("Kinds"), buf, TD_R_NORMAL);
	td_ui_code_labels(p.needs, &td_needs, buf, sizeof buf);
	td_view_add(V, _("Needs served"), buf, TD_R_NORMAL);
	td_view_add(V, _("Sites"), strcmp(p.sites, "ALL") ? p.sites
							   : _("all sites"),
		    TD_R_NORMAL);
	td_ui_code_labels(p.stages, &td_stages, buf, sizeof buf);
	td_view_add(V, _("Stages"), strcmp(p.stages, "ALL") ? buf
							     : _("all stages"),
		    TD_R_NORMAL);
	td_ui_code_labels(p.sectors, &td_sectors, buf, sizeof buf);
	td_view_add(V, _("Sectors"), p.sectors[0] ? buf : _("any"),
		    TD_R_NORMAL);
	if (p.capacity)
		snprintf(buf, sizeof buf,
			 ngettext("%d open referral of %d",
				  "%d open referrals of %d",
				  (unsigned long)p.open),
			 p.open, p.capacity);
	else
		snprintf(buf, sizeof buf,
			 ngettext("%d open referral (no limit)",
				  "%d open referrals (no limit)",
				  (unsigned long)p.open),
			 p.open);
	td_view_add(V, _("Workload"), buf, TD_R_NORMAL);
	/* What the directory leaves empty is not listed (^E shows every
	 * field): on a vt100 each line of the first page costs its bytes,
	 * and an empty one tells nothing (issue 10). */
	td_phone_display(p.phone, buf, sizeof buf);
	char src[sizeof p.source];
	const struct { const char *label, *text; enum td_role role; } opt[] = {
		{ _("Contact"), p.contact, TD_R_NORMAL },
		{ _("E-mail"), p.email, TD_R_NORMAL },
		{ _("Phone"), buf, TD_R_NORMAL },
		{ _("Website"), p.website, TD_R_NORMAL },
		{ _("City"), p.city, TD_R_NORMAL },
		{ _("Address"), p.address, TD_R_NORMAL },
		{ _("Description"), p.description, TD_R_NORMAL },
		{ _("Source"), getmaxx(ui->win) < 90
			? source_hosts(p.source, src, sizeof src) : p.source,
		  TD_R_HELP },
	};
	for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
		if (opt[i].text[0])
			td_view_add(V, opt[i].label, opt[i].text, opt[i].role);
	if (V->oom) {
		td_view_free(V);
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	return TD_OK;
}

static void detail_leave(struct td_ui *ui, void *st)
{
	td_view_free(&((struct detail *)st)->v);
}

static void detail_draw(struct td_ui *ui, void *st, bool full)
{
	struct detail *D = st;
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, D->title);
	td_view_draw(ui, &D->v);
}

static bool detail_act(struct td_ui *ui, void *st, enum td_action a,
		       const struct td_key *k)
{
	struct detail *D = st;
	switch (a) {
	case TD_A_P_EDIT:
		if (!may_edit(ui))
			return true;
		/* The edit page takes this one's place. */
		td_ui_pop(ui);
		td_ui_push(ui, &scr_edit, &(struct partner_arg){ D->id,
								  D->sel_id });
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	default:
		return td_view_act(ui, &D->v, a);
	}
}

static const struct td_screen scr_detail = {
	.name = "partner",
	.size = sizeof(struct detail),
	.keys = &detail_keys,
	.mode = detail_mode,
	.enter = detail_enter,
	.leave = detail_leave,
	.draw = detail_draw,
	.act = detail_act,
};

/* ---- add / edit -------------------------------------------------------- */

/* The editable fields: label, offset of the buffer in td_partner, size;
 * capacity (an int) is edited as text. */
struct efield {
	const char *label;
	size_t off, size;
	const char *help;
};

#define EF(label, member, help) \
	{ label, offsetof(struct td_partner, member), \
	  sizeof(((struct td_partner *)0)->member), help }

static const struct efield efields[] = {
	EF(N_("Id"), id, N_("lower-case letters, digits and -, e.g. initiative-metz")),
	EF(N_("Name"), name, NULL),
	EF(N_("Kinds"), kinds, N_("advice|funding|hosting|network")),
	EF(N_("Needs served"), needs, N_("advice|funding|hosting|networking|training|recruitment|international")),
	EF(N_("Sites"), sites, N_("THI|MET|NAN|EPI or ALL")),
	EF(N_("Stages"), stages, N_("idea|seed|creation|development|growth|takeover or ALL")),
	EF(N_("Sectors"), sectors, N_("empty = any; e.g. fintech|healthtech")),
	EF(N_("Contact"), contact, NULL),
	EF(N_("E-mail"), email, NULL),
	EF(N_("Phone"), phone, NULL),
	EF(N_("Website"), website, NULL),
	EF(N_("City"), city, NULL),
	EF(N_("Address"), address, NULL),
	EF(N_("Description"), description, NULL),
	EF(N_("Source"), source, NULL),
	{ N_("Capacity"), 0, 0, N_("open referrals it can take, 0 = no limit") },
};
#define NEF ((int)(sizeof efields / sizeof efields[0]))

struct edit {
	struct td_partner p;
	bool create, changed;
	int cur;
	struct td_prompt pr;
	char before[sizeof ((struct td_prompt *)0)->text]; /* the field's */
	char err[512];
	char *sel_id;          /* the list's, below */
};

static const struct td_keyctx edit_keys = {
	.ctx = { TD_KC_FORM, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_SAVE, TD_A_OPEN, TD_A_CANCEL },
};

static const struct td_keyctx *edit_mode(const void *st)
{
	return ((const struct edit *)st)->pr.active ? &td_prompt_keys : NULL;
}

static char *efield_buf(struct edit *E, int i)
{
	return (char *)&E->p + efields[i].off;
}

static int edit_enter(struct td_ui *ui, void *st, const void *arg)
{
	const struct partner_arg *pa = arg;
	struct edit *E = st;
	td_err err = { 0 };

	E->sel_id = pa->sel_id;
	if (!may_edit(ui))
		return TD_EPERM;
	if (pa->id[0]) {
		if (td_app_partner_get(ui->app, pa->id, &E->p, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return err.code;
		}
	} else {
		E->create = true;
		E->p.active = true;
		strcpy(E->p.sites, "ALL");
		strcpy(E->p.stages, "ALL");
	}
	/* The id is the key other sites know the partner by: fixed once
	 * created. */
	E->cur = E->create ? 0 : 1;
	return TD_OK;
}

static void edit_draw(struct td_ui *ui, void *st, bool full)
{
	struct edit *E = st;
	int cols = getmaxx(ui->win);
	char val[1200];
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, E->create ? _("New partner")
				       : _("Edit partner"));
	int maxrows = getmaxy(ui->win) - 5;
	int top = E->cur >= maxrows ? E->cur - maxrows + 1 : 0;
	for (int r = 0; r < maxrows; r++) {
		int i = top + r, y = TD_UI_BODY + r;
		if (i >= NEF) {
			td_ui_put(ui, y, 0, cols, "", A_NORMAL, true);
			continue;
		}
		bool sel = i == E->cur;
		attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED : TD_R_NORMAL);
		if (efields[i].size)
			snprintf(val, sizeof val, "%s", efield_buf(E, i));
		else
			snprintf(val, sizeof val, "%d", E->p.capacity);
		td_ui_put(ui, y, 0, 2, sel ? ">" : "", a, true);
		td_ui_put(ui, y, 2, 16, _(efields[i].label),
			  td_ui_attr(ui, TD_R_LABEL), true);
		td_ui_put(ui, y, 18, cols - 18, val, a, true);
	}
	int hy = getmaxy(ui->win) - 3;
	td_ui_put(ui, hy, 0, cols,
		  efields[E->cur].help ? _(efields[E->cur].help) : "",
		  td_ui_attr(ui, TD_R_HELP), true);
	int py = getmaxy(ui->win) - 2;
	if (E->pr.active) {
		td_prompt_draw(ui, &E->pr, py);
	} else {
		td_ui_put(ui, py, 0, cols, E->err, td_ui_attr(ui, TD_R_ERROR),
			  true);
		ui->cur_y = TD_UI_BODY + E->cur - top;
		ui->cur_x = 0;
	}
}

static void edit_save(struct td_ui *ui, struct edit *E)
{
	td_err err = { 0 };
	char msg[400];
	if (td_app_partner_save(ui->app, &E->p, E->create, &err) != TD_OK) {
		snprintf(E->err, sizeof E->err, "%s", err.msg);
		return;
	}
	snprintf(msg, sizeof msg, _("Partner %s saved."), E->p.id);
	td_ui_flash(ui, false, msg);
	/* The list shows the partner saved, selected. */
	snprintf(E->sel_id, TD_PARTNER_ID_MAX + 1, "%s", E->p.id);
	td_ui_pop(ui);
}

/* The field's new value, typed in the prompt. */
static void edit_set(struct edit *E)
{
	int i = E->pr.tag;
	if (efields[i].size) {
		snprintf(efield_buf(E, i), efields[i].size, "%s", E->pr.text);
	} else {
		char *end;
		long c = strtol(E->pr.text, &end, 10);
		E->p.capacity = *end || c < 0 || c > 100000 ? -1 : (int)c;
	}
	E->changed = true;
	E->err[0] = '\0';
}

static bool edit_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct edit *E = st;
	char val[32];
	bool changed;

	if (E->pr.active) {
		/* Esc after typing: what was typed goes only if meant to. */
		if (a == TD_A_PROMPT_CANCEL && strcmp(E->pr.text, E->before)) {
			char q[300];
			snprintf(q, sizeof q,
				 _("Drop what was typed in \"%s\"?"), E->pr.label);
			if (!td_ui_confirm(ui, q))
				return true;
		}
		if (td_prompt_act(&E->pr, a, k, &changed) > 0)
			edit_set(E);
		return true;
	}
	switch (a) {
	case TD_A_SAVE:
		edit_save(ui, E);
		return true;
	case TD_A_CANCEL:
		if (!E->changed ||
		    td_ui_confirm(ui, _("Leave without saving the partner?")))
			td_ui_pop(ui);
		return true;
	case TD_A_UP:
	case TD_A_PREV_FIELD:
		if (E->cur > (E->create ? 0 : 1))
			E->cur--;
		return true;
	case TD_A_DOWN:
	case TD_A_NEXT_FIELD:
		if (E->cur < NEF - 1)
			E->cur++;
		return true;
	case TD_A_OPEN:
		if (efields[E->cur].size) {
			td_prompt_open(&E->pr, E->cur, _(efields[E->cur].label),
				       efield_buf(E, E->cur), 0,
				       efields[E->cur].size - 1);
		} else {
			snprintf(val, sizeof val, "%d", E->p.capacity);
			td_prompt_open(&E->pr, E->cur, _(efields[E->cur].label),
				       val, 6, 0);
		}
		snprintf(E->before, sizeof E->before, "%s", E->pr.text);
		return true;
	default:
		return false;
	}
}

static const struct td_screen scr_edit = {
	.name = "partner_edit",
	.size = sizeof(struct edit),
	.keys = &edit_keys,
	.mode = edit_mode,
	.enter = edit_enter,
	.draw = edit_draw,
	.act = edit_act,
};
