#include "totemdesk/intake.h"
#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <stddef.h>
#include <string.h>

/* The fields' checks (a text field without one is free text, one line,
 * at most its max_chars).  rec is the whole record: a phone or postcode
 * is read as written in the holder's country. */
static enum td_vcode check_name(const struct td_intake *rec, const char *in,
				char *out, size_t outsz)
{
	return td_validate_name(in, out, outsz);
}

static enum td_vcode check_email(const struct td_intake *rec, const char *in,
				 char *out, size_t outsz)
{
	return td_validate_email(in, out, outsz);
}

static enum td_vcode check_phone(const struct td_intake *rec, const char *in,
				 char *out, size_t outsz)
{
	return td_validate_phone((enum td_country)rec->country, in, out,
				 outsz);
}

static enum td_vcode check_postcode(const struct td_intake *rec,
				    const char *in, char *out, size_t outsz)
{
	return td_validate_postcode((enum td_country)rec->country, in, out,
				    outsz);
}

static enum td_vcode check_city(const struct td_intake *rec, const char *in,
				char *out, size_t outsz)
{
	return td_validate_city(in, out, outsz);
}

static enum td_vcode check_company(const struct td_intake *rec,
				   const char *in, char *out, size_t outsz)
{
	return td_validate_company((enum td_country)rec->country, in, out,
				   outsz);
}

#define MEMBER(m) .offset = offsetof(struct td_intake, m)
#define TEXTBUF(m) MEMBER(m), .size = sizeof(((struct td_intake *)0)->m)

/* The form's order.  Each row: its id, the name of its config key and
 * export column, what the form and the help say, its kind and where its
 * value lives in td_intake, its group and column in the store, and an
 * example for the tests. */
const struct td_field_def td_fields[TD_F_COUNT] = {
	[TD_F_LAST_NAME] = { TD_F_LAST_NAME, "last_name", N_("Last name"),
	  N_("Family name as the visitor writes it: letters, spaces, ' and -."),
	  N_("letters, spaces, ' and -"),
	  TD_FK_TEXT, TD_NAME_MAX, TEXTBUF(last_name), .required = true,
	  .check = check_name,
	  .group = TD_FG_HOLDER, .column = "last_name", .flags = TD_FF_FREE,
	  .example = "Lefèvre-N'Diaye" },
	[TD_F_FIRST_NAME] = { TD_F_FIRST_NAME, "first_name", N_("First name"),
	  N_("First name: letters, spaces, ' and -."),
	  N_("letters, spaces, ' and -"),
	  TD_FK_TEXT, TD_NAME_MAX, TEXTBUF(first_name), .required = true,
	  .check = check_name,
	  .group = TD_FG_HOLDER, .column = "first_name", .flags = TD_FF_FREE,
	  .example = "Zoé" },
	[TD_F_COUNTRY] = { TD_F_COUNTRY, "country", N_("Country"),
	  N_("Where the visitor lives; sets what phone, postcode, company no. accept."),
	  N_("Space, arrows, 1st letter"),
	  TD_FK_CHOICE, 0, MEMBER(country), .choices = &td_countries,
	  .group = TD_FG_HOLDER, .column = "country", .flags = TD_FF_PRESET },
	[TD_F_EMAIL] = { TD_F_EMAIL, "email", N_("E-mail"),
	  N_("E-mail address, e.g. prenom.nom@exemple.fr. E-mail or phone is required."),
	  N_("name@example.fr, or phone"),
	  TD_FK_TEXT, TD_EMAIL_MAX, TEXTBUF(email), .check = check_email,
	  .group = TD_FG_HOLDER, .column = "email", .flags = TD_FF_FREE,
	  .example = "zoe.lefevre@exemple.fr" },
	[TD_F_PHONE] = { TD_F_PHONE, "phone", N_("Phone"),
	  N_("06 12 34 56 78 (overseas too), or + and the country code: +49 681 1234567."),
	  N_("06 12 34 56 78, +352 ..."),
	  TD_FK_TEXT, 30, TEXTBUF(phone), .check = check_phone,
	  .group = TD_FG_HOLDER, .column = "phone", .flags = TD_FF_PHONE,
	  .example = "+33612345678",
	  .country_hint = { [TD_COUNTRY_LU] = N_("621 123 456, +352 ..."),
	    [TD_COUNTRY_DE] = N_("0681 1234567, +49 ..."),
	    [TD_COUNTRY_BE] = N_("063 12 34 56, +32 ..."),
	    [TD_COUNTRY_OTHER] = N_("+ country code: +41 ...") } },
	[TD_F_POSTCODE] = { TD_F_POSTCODE, "postcode", N_("Postcode"),
	  N_("Postcode of the country: 57000, L-1234, 66111, 6700; abroad as written."),
	  N_("57000, L-1234, 66111, 6700"),
	  TD_FK_TEXT, 10, TEXTBUF(postcode), .check = check_postcode,
	  .group = TD_FG_HOLDER, .column = "postcode", .example = "57000",
	  .country_hint = { [TD_COUNTRY_LU] = N_("L- and 4 digits: L-4362"),
	    [TD_COUNTRY_DE] = N_("5 digits: 66111"),
	    [TD_COUNTRY_BE] = N_("4 digits: 6700"),
	    [TD_COUNTRY_OTHER] = N_("as written: SW1A 1AA") } },
	[TD_F_CITY] = { TD_F_CITY, "city", N_("City"),
	  N_("Town of residence."), N_("town of residence"),
	  TD_FK_TEXT, TD_CITY_MAX, TEXTBUF(city), .check = check_city,
	  .group = TD_FG_HOLDER, .column = "city", .flags = TD_FF_FREE,
	  .example = "Saint-Dié-des-Vosges" },
	[TD_F_TITLE] = { TD_F_TITLE, "project_title", N_("Project"),
	  N_("Short title of the project, in a few words."),
	  N_("a few words"),
	  TD_FK_TEXT, TD_TITLE_MAX, TEXTBUF(title),
	  .group = TD_FG_PROJECT, .column = "project_title",
	  .flags = TD_FF_FREE, .example = "Épicerie vrac à Metz" },
	[TD_F_DESCRIPTION] = { TD_F_DESCRIPTION, "description",
	  N_("Description"),
	  N_("What the project does and what the visitor expects from us."),
	  N_("project and expectations"),
	  TD_FK_TEXT, TD_DESC_MAX, TEXTBUF(description),
	  .group = TD_FG_PROJECT, .column = "description",
	  .flags = TD_FF_FREE, .example = "Vente en vrac; cherche un local." },
	[TD_F_STAGE] = { TD_F_STAGE, "stage", N_("Stage"),
	  N_("How far the project is. Space or arrows to change, or type the first letter."),
	  N_("Space, arrows, 1st letter"),
	  TD_FK_CHOICE, 0, MEMBER(stage), .choices = &td_stages,
	  .group = TD_FG_PROJECT, .column = "stage" },
	[TD_F_SECTOR] = { TD_F_SECTOR, "sector", N_("Sector"),
	  N_("Field of activity (French Tech thematic networks)."),
	  N_("Space, arrows, 1st letter"),
	  TD_FK_CHOICE, 0, MEMBER(sector), .choices = &td_sectors,
	  .group = TD_FG_PROJECT, .column = "sector" },
	[TD_F_NEEDS] = { TD_F_NEEDS, "needs", N_("Needs"),
	  N_("What the visitor needs: at least one. Digits 1-7 or Space to tick."),
	  N_("1-7 or Space"),
	  TD_FK_MULTI, 0, MEMBER(needs), .required = true,
	  .choices = &td_needs, .group = TD_FG_PROJECT, .column = "needs" },
	[TD_F_SIRET] = { TD_F_SIRET, "company_id", N_("Company no."),
	  N_("Optional: SIRET (FR), RCS B123456 (LU), court + HRB 12345 (DE), BCE (BE)."),
	  N_("SIRET, RCS, HRB or BCE"),
	  TD_FK_TEXT, TD_COMPANY_MAX, TEXTBUF(siret), .check = check_company,
	  .group = TD_FG_PROJECT, .column = "siret",
	  .example = "73282932000074",
	  .country_hint = { [TD_COUNTRY_LU] = N_("RCS: B123456"),
	    [TD_COUNTRY_DE] = N_("Saarbrücken HRB 12345"),
	    [TD_COUNTRY_BE] = N_("BCE/KBO: 0566.988.259"),
	    [TD_COUNTRY_OTHER] = N_("as registered") } },
	[TD_F_CONSENT] = { TD_F_CONSENT, "consent", N_("Consent"),
	  N_("The visitor agrees that we keep these details and share them with partners."),
	  N_("Space to tick"),
	  TD_FK_CHECK, 0, MEMBER(consent), .required = true,
	  .group = TD_FG_HOLDER, .column = "consent", .flags = TD_FF_FIXED },
};

const char *td_field_hint(enum td_field_id f, int country)
{
	if ((unsigned)f >= TD_F_COUNT)
		return "";
	if (country >= 0 && country < TD_COUNTRY_COUNT &&
	    td_fields[f].country_hint[country])
		return td_fields[f].country_hint[country];
	return td_fields[f].hint;
}

int td_field_find(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < TD_F_COUNT; i++)
		if (strcmp(td_fields[i].name, name) == 0)
			return i;
	if (strcmp(name, "siret") == 0)
		return TD_F_SIRET;
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

long td_intake_value(const struct td_intake *rec, enum td_field_id f)
{
	const char *p;

	if ((unsigned)f >= TD_F_COUNT)
		return 0;
	p = (const char *)rec + td_fields[f].offset;
	switch (td_fields[f].kind) {
	case TD_FK_CHOICE:
		return *(const int *)(const void *)p;
	case TD_FK_MULTI:
		return (long)*(const unsigned *)(const void *)p;
	case TD_FK_CHECK:
		return *(const bool *)(const void *)p;
	default:
		return 0;
	}
}

void td_intake_set_value(struct td_intake *rec, enum td_field_id f, long v)
{
	char *p;

	if ((unsigned)f >= TD_F_COUNT)
		return;
	p = (char *)rec + td_fields[f].offset;
	switch (td_fields[f].kind) {
	case TD_FK_CHOICE:
		*(int *)(void *)p = (int)v;
		break;
	case TD_FK_MULTI:
		*(unsigned *)(void *)p = (unsigned)v;
		break;
	case TD_FK_CHECK:
		*(bool *)(void *)p = v != 0;
		break;
	default:
		break;
	}
}

int td_field_code(const struct td_intake *rec, enum td_field_id f,
		  char *out, size_t outsz)
{
	const struct td_field_def *d;
	const char *s = "";
	int n;

	if ((unsigned)f >= TD_F_COUNT || outsz == 0)
		return -1;
	d = &td_fields[f];
	switch (d->kind) {
	case TD_FK_TEXT:
		s = td_intake_ctext(rec, f);
		break;
	case TD_FK_CHOICE:
		s = td_enum_code(d->choices, (int)td_intake_value(rec, f));
		break;
	case TD_FK_MULTI:
		return td_needs_format((unsigned)td_intake_value(rec, f), out,
				       outsz);
	case TD_FK_CHECK:
		s = td_intake_value(rec, f) ? "1" : "0";
		break;
	}
	n = (int)strlen(s);
	if ((size_t)n >= outsz)
		return -1;
	memcpy(out, s, (size_t)n + 1);
	return n;
}

int td_field_set_code(struct td_intake *rec, enum td_field_id f,
		      const char *code)
{
	const struct td_field_def *d;
	unsigned mask;
	int k;

	if ((unsigned)f >= TD_F_COUNT)
		return -1;
	d = &td_fields[f];
	if (!code)
		code = "";
	switch (d->kind) {
	case TD_FK_TEXT:
		if (strlen(code) >= d->size)
			return -1;
		memcpy(td_intake_text(rec, f), code, strlen(code) + 1);
		return 0;
	case TD_FK_CHOICE:
		if ((k = td_enum_find(d->choices, code)) < 0)
			return -1;
		td_intake_set_value(rec, f, k);
		return 0;
	case TD_FK_MULTI:
		if (td_needs_parse(code, &mask, NULL, NULL) != 0)
			return -1;
		td_intake_set_value(rec, f, (long)mask);
		return 0;
	case TD_FK_CHECK:
		if (strcmp(code, "1") != 0 && strcmp(code, "0") != 0)
			return -1;
		td_intake_set_value(rec, f, code[0] == '1');
		return 0;
	}
	return -1;
}

/* Copy s into out[outsz], cut on a character boundary. */
static size_t copy_cut(const char *s, char *out, size_t outsz)
{
	size_t n = strlen(s);

	if (outsz == 0)
		return 0;
	if (n >= outsz) {
		n = outsz - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

size_t td_field_show(const struct td_intake *rec, enum td_field_id f,
		     char *out, size_t outsz)
{
	const struct td_field_def *d;
	char buf[512];
	size_t o = 0;

	if (outsz > 0)
		out[0] = '\0';
	if ((unsigned)f >= TD_F_COUNT)
		return 0;
	d = &td_fields[f];
	switch (d->kind) {
	case TD_FK_TEXT:
		if (d->flags & TD_FF_PHONE)
			return td_phone_display(td_intake_ctext(rec, f), out,
						outsz);
		return copy_cut(td_intake_ctext(rec, f), out, outsz);
	case TD_FK_CHOICE:
		return copy_cut(td_enum_label(d->choices,
					      (int)td_intake_value(rec, f)),
				out, outsz);
	case TD_FK_MULTI: {
		unsigned mask = (unsigned)td_intake_value(rec, f);
		buf[0] = '\0';
		for (size_t i = 0; i < d->choices->count && i < 32; i++) {
			const char *l;
			size_t ll;
			if (!(mask & (1u << i)))
				continue;
			l = td_enum_label(d->choices, (int)i);
			ll = strlen(l);
			if (o + ll + 3 >= sizeof buf)
				break;
			if (o) {
				memcpy(buf + o, ", ", 2);
				o += 2;
			}
			memcpy(buf + o, l, ll + 1);
			o += ll;
		}
		return copy_cut(buf, out, outsz);
	}
	case TD_FK_CHECK:
		return copy_cut(td_intake_value(rec, f) ? _("yes") : _("no"),
				out, outsz);
	}
	return 0;
}

bool td_field_may_require(enum td_field_id f)
{
	/* every field that is not always required */
	return (unsigned)f < TD_F_COUNT && !td_fields[f].required;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
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
		long v = td_intake_value(rec, f);
		if (v < 0 || (size_t)v >= d->choices->count)
			return TD_V_BAD_CODE;
		/* entry 0 is "not set" when its code is "" (stage, sector);
		 * a country is always one */
		return (required && v == 0 &&
			!*td_enum_code(d->choices, 0)) ? TD_V_REQUIRED : TD_V_OK;
	}
	case TD_FK_MULTI:
		if ((unsigned long)td_intake_value(rec, f) >> d->choices->count)
			return TD_V_BAD_CODE;
		return td_intake_value(rec, f) ? TD_V_OK : TD_V_NEED_NEEDS;
	case TD_FK_CHECK:
		return td_intake_value(rec, f) ? TD_V_OK : TD_V_NEED_CONSENT;
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
	/* Whatever the field's own rules: its message says why. */
	if (td_text_find_bidi(in)) {
		if (norm && normsz)
			norm[0] = '\0';
		return TD_V_BIDI;
	}
	{
		char tmp[TD_DESC_MAX * 4 + 1];
		char *out = norm ? norm : tmp;
		size_t outsz = norm ? normsz : sizeof tmp;
		if (d->check)
			return d->check(rec, in, out, outsz);
		return td_validate_text(in, d->max_chars, false, out, outsz);
	}
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
		if (td_fields[f].flags & TD_FF_PRESET)
			continue;
		if (t ? !blank(t) : td_intake_value(rec, (enum td_field_id)f) != 0)
			return false;
	}
	return true;
}
