// Writes src/core/phone_plan.c: for each calling code totemdesk checks in
// detail, which national significant numbers (NSN) are valid, as a
// prefix-free table of { prefix, lengths } rows, probed from Google's
// libphonenumber (Debian's libphonenumber-dev).  The desk itself does not
// link libphonenumber (README, design notes: start-up and memory); this
// program carries its numbering-plan data over, and tests/phone/agree.cc
// checks that the desk and the library then agree.
//
//   ninja -C build phone-plan    (regenerates the file in the source tree)
//
// How the plan is probed: a node is a prefix of the NSN.  For each NSN
// length, the node's numbers are sampled (every one- and two-digit
// extension, each with random further digits, plus random numbers); when
// some are valid and others not, at any length, the node is split into
// its ten children.  Every node down to MIN_DEPTH is split regardless, so
// narrow ranges (Martinique's 0696 inside France's 06) are not missed.
// Ten children with the same verdicts are merged back into their parent.
#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/phonenumber.pb.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <random>
#include <set>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const int MIN_LEN = 1, MAX_LEN = 17;    // NSN lengths probed
const int MIN_DEPTH = 3, MAX_DEPTH = 10;
const size_t PREFIX_MAX = 11;        // phone_plan.h: PHONE_PREFIX_MAX
const int EXTRA_SAMPLES = 28;

const PhoneNumberUtil *util;
std::mt19937 rng(20261);
long calls;

struct verdict {
	bool valid, personal;
};

// Types a person gives as their own number (the others are special-rate
// or service numbers); used to tell an overseas number typed in the
// French national form from a French one (validate.c).
bool personal_type(PhoneNumberUtil::PhoneNumberType t)
{
	return t == PhoneNumberUtil::FIXED_LINE || t == PhoneNumberUtil::MOBILE ||
	       t == PhoneNumberUtil::FIXED_LINE_OR_MOBILE ||
	       t == PhoneNumberUtil::VOIP ||
	       t == PhoneNumberUtil::PERSONAL_NUMBER;
}

verdict probe_valid(int cc, const std::string &nsn)
{
	PhoneNumber n;
	size_t zeros = 0;

	calls++;
	n.set_country_code(cc);
	while (zeros < nsn.size() && nsn[zeros] == '0')
		zeros++;
	if (zeros > 0) {
		n.set_italian_leading_zero(true);
		if (zeros > 1)
			n.set_number_of_leading_zeros((int)zeros);
	}
	n.set_national_number(strtoull(nsn.c_str(), nullptr, 10));
	verdict v{util->IsValidNumber(n), false};
	v.personal = v.valid && personal_type(util->GetNumberType(n));
	return v;
}

// The number typed as y after the country's own code without + or 00
// ("352 621 123 456" in Luxembourg): does libphonenumber take the code
// off?  It does when the whole is too long, or does not match the
// country's general pattern while the rest does -- a pattern it does not
// publish, so the answer is probed like validity.
const char *own_region;

verdict probe_own(int cc, const std::string &y)
{
	PhoneNumber n;

	calls++;
	if (util->ParseAndKeepRawInput(std::to_string(cc) + y, own_region, &n) !=
	    PhoneNumberUtil::NO_PARSING_ERROR)
		return verdict{false, false};
	bool own = n.country_code_source() ==
		   PhoneNumber::FROM_NUMBER_WITHOUT_PLUS_SIGN;
	return verdict{own, own};
}

verdict (*probe)(int, const std::string &) = probe_valid;

// Per length: 0 none, 1 all, 2 some.
struct cls {
	uint8_t valid[MAX_LEN + 1], personal[MAX_LEN + 1];
};

void tally(uint8_t &c, bool yes, bool first)
{
	uint8_t v = yes ? 1 : 0;
	if (first)
		c = v;
	else if (c != v)
		c = 2;
}

std::string tail(std::string s, int len)
{
	std::uniform_int_distribution<int> d(0, 9);
	while ((int)s.size() < len)
		s += (char)('0' + d(rng));
	return s;
}

cls classify(int cc, const std::string &pre)
{
	cls c;
	int depth = (int)pre.size();

	memset(&c, 0, sizeof c);
	for (int len = MIN_LEN; len <= MAX_LEN; len++) {
		std::vector<std::string> s;
		if (len < depth)
			continue;
		if (len == depth) {
			s.push_back(pre);
		} else if (len == depth + 1) {
			for (char a = '0'; a <= '9'; a++)
				s.push_back(pre + a);
		} else {
			for (char a = '0'; a <= '9'; a++)
				for (char b = '0'; b <= '9'; b++)
					s.push_back(tail(pre + a + b, len));
			for (int k = 0; k < EXTRA_SAMPLES; k++)
				s.push_back(tail(pre, len));
		}
		for (size_t k = 0; k < s.size(); k++) {
			verdict v = probe(cc, s[k]);
			tally(c.valid[len], v.valid, k == 0);
			tally(c.personal[len], v.personal, k == 0);
		}
	}
	return c;
}

struct leaf {
	std::string prefix;
	uint32_t valid, personal;     // bit L: NSN length L
};

bool mixed(const cls &c)
{
	for (int len = 0; len <= MAX_LEN; len++)
		if (c.valid[len] == 2 || c.personal[len] == 2)
			return true;
	return false;
}

leaf to_leaf(const std::string &pre, const cls &c)
{
	leaf l{pre, 0, 0};
	for (int len = 0; len <= MAX_LEN; len++) {
		// at MAX_DEPTH a mixed cell is kept as valid: never refuse
		// what the library may accept (agree.cc reports it)
		if (c.valid[len])
			l.valid |= 1u << len;
		if (c.personal[len])
			l.personal |= 1u << len;
	}
	return l;
}

int too_deep;

// Leaves under pre, appended to out; returns true when pre came back as a
// single leaf (so the parent may merge its children).
bool walk(int cc, const std::string &pre, std::vector<leaf> &out)
{
	cls c = classify(cc, pre);
	int depth = (int)pre.size();

	if (depth >= MIN_DEPTH && (!mixed(c) || depth >= MAX_DEPTH)) {
		if (mixed(c)) {
			too_deep++;
			fprintf(stderr, "plan_gen: +%d %s still mixed at depth %d\n",
				cc, pre.c_str(), depth);
		}
		out.push_back(to_leaf(pre, c));
		return true;
	}
	size_t mark = out.size();
	bool all_leaves = true;
	for (char d = '0'; d <= '9'; d++)
		all_leaves &= walk(cc, pre + d, out);
	if (all_leaves && out.size() == mark + 10 && !pre.empty()) {
		bool same = true;
		for (size_t k = mark + 1; k < out.size(); k++)
			same &= out[k].valid == out[mark].valid &&
				out[k].personal == out[mark].personal;
		if (same) {
			leaf l = out[mark];
			l.prefix = pre;
			out.resize(mark);
			out.push_back(l);
			return true;
		}
	}
	return false;
}

struct plan {
	int cc;
	const char *name;       // C identifier suffix
	const char *what;
	const char *own;        // region: probe the own-code rule, not validity
};

// Calling codes checked in detail (the four countries of the desk, and the
// French overseas departments that share France's ten-digit plan).
const plan plans[] = {
	{33, "fr", "France", nullptr},
	{262, "re", "La Reunion and Mayotte", nullptr},
	{590, "gp", "Guadeloupe, Saint-Barthelemy, Saint-Martin", nullptr},
	{594, "gf", "French Guiana", nullptr},
	{596, "mq", "Martinique", nullptr},
	{352, "lu", "Luxembourg", nullptr},
	{49, "de", "Germany", nullptr},
	{32, "be", "Belgium", nullptr},
	{33, "own_fr", "France, after 33 typed without + or 00", "FR"},
	{352, "own_lu", "Luxembourg, after 352 typed without + or 00", "LU"},
	{49, "own_de", "Germany, after 49 typed without + or 00", "DE"},
	{32, "own_be", "Belgium, after 32 typed without + or 00", "BE"},
};

// NSN lengths of calling code cc: those the library calls possible (for
// the code's main region), and those of the example numbers of a person's
// line in every region of the code: the check for every country without
// a detailed plan.  (Not the lengths of other regions' service numbers:
// Canada's seven-digit 310 numbers would make "+1 234 5678" a number.)
uint32_t possible_lengths(int cc)
{
	uint32_t mask = 0;
	std::list<std::string> regions;

	for (int len = 1; len <= MAX_LEN; len++) {
		PhoneNumber n;
		n.set_country_code(cc);
		n.set_national_number(strtoull(std::string((size_t)len, '5').c_str(),
					       nullptr, 10));
		if (util->IsPossibleNumberWithReason(n) ==
		    PhoneNumberUtil::IS_POSSIBLE)
			mask |= 1u << len;
	}
	util->GetRegionCodesForCountryCallingCode(cc, &regions);
	for (const std::string &r : regions) {
		std::set<PhoneNumberUtil::PhoneNumberType> types;
		util->GetSupportedTypesForRegion(r, &types);
		for (PhoneNumberUtil::PhoneNumberType t : types) {
			PhoneNumber n;
			std::string nsn;
			if (!personal_type(t) ||
			    !util->GetExampleNumberForType(r, t, &n) ||
			    !util->IsValidNumber(n))
				continue;
			util->GetNationalSignificantNumber(n, &nsn);
			if (nsn.size() <= (size_t)MAX_LEN)
				mask |= 1u << nsn.size();
		}
	}
	return mask;
}

} // namespace

int main(int argc, char **argv)
{
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: plan_gen OUTPUT.c\n");
		return 2;
	}
	util = PhoneNumberUtil::GetInstance();
	std::string body;
	char line[256];
	size_t total = 0;
	for (const plan &p : plans) {
		std::vector<leaf> leaves;
		std::string rows;
		size_t n = 0;
		probe = p.own ? probe_own : probe_valid;
		own_region = p.own;
		walk(p.cc, "", leaves);
		for (const leaf &l : leaves) {
			if (l.valid == 0)
				continue;
			if (l.prefix.size() > PREFIX_MAX) {
				fprintf(stderr, "plan_gen: +%d %s longer than %zu\n",
					p.cc, l.prefix.c_str(), PREFIX_MAX);
				return 1;
			}
			snprintf(line, sizeof line, "\t{ \"%s\", 0x%05x, 0x%05x },\n",
				 l.prefix.c_str(), l.valid, l.personal);
			rows += line;
			n++;
		}
		snprintf(line, sizeof line,
			 "\n/* +%d %s: %zu rows */\nstatic const struct "
			 "phone_range plan_%s[] = {\n", p.cc, p.what, n, p.name);
		body += line + rows + "};\n";
		total += n;
		fprintf(stderr, "plan_gen: +%d: %zu rows\n", p.cc, n);
	}
	for (int own = 0; own < 2; own++) {
		body += own ? "\nconst struct phone_plan td_phone_own[] = {\n"
			    : "\nconst struct phone_plan td_phone_plans[] = {\n";
		for (const plan &p : plans) {
			if ((p.own != nullptr) != (own == 1))
				continue;
			snprintf(line, sizeof line,
				 "\t{ %d, plan_%s, sizeof plan_%s / sizeof "
				 "plan_%s[0] },\n", p.cc, p.name, p.name, p.name);
			body += line;
		}
		body += "};\n";
		body += own ? "const size_t td_phone_own_count =\n"
			      "\tsizeof td_phone_own / sizeof td_phone_own[0];\n"
			    : "const size_t td_phone_plan_count =\n"
			      "\tsizeof td_phone_plans / sizeof td_phone_plans[0];\n";
	}

	std::set<int> codes;
	util->GetSupportedCallingCodes(&codes);
	body += "\n/* Every calling code, with the NSN lengths possible there. */\n"
		"const struct phone_cc td_phone_ccs[] = {\n";
	for (int cc : codes) {
		snprintf(line, sizeof line, "\t{ %d, 0x%05x },\n", cc,
			 possible_lengths(cc));
		body += line;
	}
	body += "};\nconst size_t td_phone_cc_count =\n"
		"\tsizeof td_phone_ccs / sizeof td_phone_ccs[0];\n";

	f = fopen(argv[1], "w");
	if (f == nullptr) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f,
		"/* GENERATED by tests/phone/plan_gen.cc from libphonenumber %s\n"
		" * (Google's numbering-plan data, Apache License 2.0): do not edit;\n"
		" * run `ninja -C build phone-plan` when a libphonenumber update\n"
		" * makes the phone_libphonenumber test fail.  %zu rows. */\n"
		"#include \"phone_plan.h\"\n%s",
		LPN_VERSION, total, body.c_str());
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	fprintf(stderr, "plan_gen: %zu rows, %zu calling codes, %ld probes, "
		"%d cells still mixed\n", total, codes.size(), calls, too_deep);
	return too_deep ? 1 : 0;
}
