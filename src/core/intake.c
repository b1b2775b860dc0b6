#include "totemdesk/intake.h"
#include "totemdesk/i18n.h"

#include <stddef.h>
#include <string.h>

#define TEXT(id_, name_, label_, help_, hint_, max_, member_, req_)           \
	{ id_, name_, label_, help_, hint_, TD_FK_TEXT, max_,                  \
	  offsetof(struct td_intake, member_),                                 \
	  sizeof(((struct td_intake *)0)->member_), req_, NULL }

const struct td_field_def td_fields[TD_F_COUNT] = {
	TEXT(TD_F_LAST_NAME, "last_name", N_("Last name"),
	     N_("Family name as the visitor writes it: letters, spaces, ' and -."),
	     N_("letters, spaces, ' and -"),
	     TD_NAME_MAX, last_name, true),
	TEXT(TD_F_FIRST_NAME, "first_name", N_("First name"),
	     N_("First name: letters, spaces, ' and -."),
	     N_("letters, spaces, ' and -"),
	     TD_NAME_MAX, first_name, true),
	TEXT(TD_F_EMAIL, "email", N_("E-mail"),
	     N_("E-mail address, e.g. prenom.nom@exemple.fr. E-mail or phone is required."),
	     N_("name@example.fr, or phone"),
	     TD_EMAIL_MAX, email, false),
	TEXT(TD_F_PHONE, "phone", N_("Phone"),
	     N_("06 12 34 56 78 (overseas too), or + and the country code: +49 681 1234567."),
	     N_("06 12 34 56 78, +352 ..."),
	     30, phone, false),
	TEXT(TD_F_POSTCODE, "postcode", N_("Postcode"),
	     N_("French postcode (5 digits, 57000) or Luxembourg (L-1234)."),
	     N_("57000 or L-1234"),
	     8, postcode, false),
	TEXT(TD_F_CITY, "city", N_("City"),
	     N_("Town of residence."), N_("town of residence"), TD_CITY_MAX,
	     city, false),
	TEXT(TD_F_TITLE, "project_title", N_("Project"),
	     N_("Short title of the project, in a few words."),
	     N_("a few words"),
	     TD_TITLE_MAX, title, false),
	TEXT(TD_F_DESCRIPTION, "description", N_("Description"),
	     N_("What the project does and what the visitor expects from us."),
	     N_("project and expectations"),
	     TD_DESC_MAX, description, false),
	{ TD_F_STAGE, "stage", N_("Stage"),
	  N_("How far the project is. Space or arrows to change, or type the first letter."),
	  N_("Space, arrows, 1st letter"), TD_FK_CHOICE, 0, 0, 0, false, &td_stages },
	{ TD_F_SECTOR, "sector", N_("Sector"),
	  N_("Field of activity (French Tech thematic networks)."),
	  N_("Space, arrows, 1st letter"), TD_FK_CHOICE, 0, 0, 0, false, &td_sectors },
	{ TD_F_NEEDS, "needs", N_("Needs"),
	  N_("What the visitor needs: at least one. Digits 1-7 or Space to tick."),
	  N_("1-7 or Space"), TD_FK_MULTI, 0, 0, 0, true, &td_needs },
	TEXT(TD_F_SIRET, "siret", N_("SIREN/SIRET"),
	     N_("Optional: SIREN (9 digits) or SIRET (14); abroad, its RCS, HRB or BCE number."),
	     N_("9 or 14 digits, optional"),
	     TD_COMPANY_MAX, siret, false),
	{ TD_F_CONSENT, "consent", N_("Consent"),
	  N_("The visitor agrees that we keep these details and share them with partners."),
	  N_("Space to tick"), TD_FK_CHECK, 0, 0, 0, true, NULL },
};

int td_field_find(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < TD_F_COUNT; i++)
		if (strcmp(td_fields[i].name, name) == 0)
			return i;
	return -1;
}

char *td_intake_text(struct td_intake *rec, enum td_field_id f)
{
	if ((unsigned)f >= TD_F_COUNT || td_fields[f].kind != TD_FK_TEXT)
		return NULL;
	return (char *)rec + td_fields[f].offset;
}

const char *td_intake_ctext(const struct td_intake *rec, enum td_field_id f)
{
	if ((unsigned)f >= TD_F_COUNT || td_fields[f].kind != TD_FK_TEXT)
		return NULL;
	return (const char *)rec + td_fields[f].offset;
}

bool td_field_may_require(enum td_field_id f)
{
	switch (f) {
	case TD_F_EMAIL: case TD_F_PHONE: case TD_F_POSTCODE: case TD_F_CITY:
	case TD_F_TITLE: case TD_F_DESCRIPTION: case TD_F_STAGE:
	case TD_F_SECTOR: case TD_F_SIRET:
		return true;
	default:
		return false;
	}
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

/* Until the form asks for the holder's country (issue 12), a holder is
 * French, except that a Luxembourg postcode (L-1234), which the desk has
 * always taken, says Luxembourg. */
static enum td_country postcode_country(const char *in)
{
	while (*in == ' ' || *in == '\t')
		in++;
	return (in[0] == 'L' || in[0] == 'l') ? TD_COUNTRY_LU : TD_COUNTRY_FR;
}

static enum td_vcode check_text(enum td_field_id f, const char *in,
				char *norm, size_t normsz)
{
	char tmp[TD_DESC_MAX * 4 + 1];
	char *out = norm ? norm : tmp;
	size_t outsz = norm ? normsz : sizeof tmp;

	switch (f) {
	case TD_F_LAST_NAME:
	case TD_F_FIRST_NAME:
		return td_validate_name(in, out, outsz);
	case TD_F_EMAIL:
		return td_validate_email(in, out, outsz);
	case TD_F_PHONE:
		return td_validate_phone(TD_COUNTRY_FR, in, out, outsz);
	case TD_F_POSTCODE:
		return td_validate_postcode(postcode_country(in), in, out,
					    outsz);
	case TD_F_CITY:
		return td_validate_city(in, out, outsz);
	case TD_F_TITLE:
		return td_validate_text(in, TD_TITLE_MAX, false, out, outsz);
	case TD_F_DESCRIPTION:
		return td_validate_text(in, TD_DESC_MAX, false, out, outsz);
	case TD_F_SIRET:
		return td_validate_company(TD_COUNTRY_FR, in, out, outsz);
	default:
		return TD_V_OK;
	}
}

enum td_vcode td_intake_check_field(const struct td_intake *rec,
				    enum td_field_id f, unsigned required_extra,
				    char *norm, size_t normsz)
{
	if ((unsigned)f >= TD_F_COUNT)
		return TD_V_BAD_CODE;
	const struct td_field_def *d = &td_fields[f];
	bool required = d->required ||
		(td_field_may_require(f) && (required_extra & (1u << f)));

	switch (d->kind) {
	case TD_FK_CHOICE: {
		int v = f == TD_F_STAGE ? rec->stage : rec->sector;
		if (v < 0 || (size_t)v >= d->choices->count)
			return TD_V_BAD_CODE;
		return (required && v == 0) ? TD_V_REQUIRED : TD_V_OK;
	}
	case TD_FK_MULTI:
		if (rec->needs >> d->choices->count)
			return TD_V_BAD_CODE;
		return rec->needs ? TD_V_OK : TD_V_NEED_NEEDS;
	case TD_FK_CHECK:
		return rec->consent ? TD_V_OK : TD_V_NEED_CONSENT;
	case TD_FK_TEXT:
		break;
	}

	const char *in = td_intake_ctext(rec, f);
	if (blank(in)) {
		if (norm && normsz)
			norm[0] = '\0';
		/* One of e-mail or phone is always needed. */
		if ((f == TD_F_EMAIL && blank(rec->phone)) ||
		    (f == TD_F_PHONE && blank(rec->email)))
			return required ? TD_V_REQUIRED : TD_V_NEED_CONTACT;
		return required ? TD_V_REQUIRED : TD_V_OK;
	}
	return check_text(f, in, norm, normsz);
}

int td_intake_check(const struct td_intake *rec, unsigned required_extra,
		    struct td_intake *out, struct td_intake_check *res)
{
	res->first_bad = -1;
	res->nbad = 0;
	if (out && out != rec)
		*out = *rec;
	for (int f = 0; f < TD_F_COUNT; f++) {
		char *norm = NULL;
		size_t normsz = 0;
		char tmp[TD_DESC_MAX * 4 + 1];
		if (out && td_fields[f].kind == TD_FK_TEXT) {
			norm = tmp;
			normsz = td_fields[f].size;
		}
		res->code[f] = td_intake_check_field(rec, (enum td_field_id)f,
						     required_extra, norm, normsz);
		if (res->code[f] != TD_V_OK) {
			if (res->first_bad < 0)
				res->first_bad = f;
			res->nbad++;
		} else if (norm) {
			memcpy(td_intake_text(out, (enum td_field_id)f), tmp,
			       strlen(tmp) + 1);
		}
	}
	return res->nbad;
}

bool td_intake_is_blank(const struct td_intake *rec)
{
	for (int f = 0; f < TD_F_COUNT; f++) {
		const char *t = td_intake_ctext(rec, (enum td_field_id)f);
		if (t && !blank(t))
			return false;
	}
	return rec->stage == 0 && rec->sector == 0 && rec->needs == 0 &&
	       !rec->consent;
}
