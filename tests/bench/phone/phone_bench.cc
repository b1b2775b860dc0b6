// What libphonenumber would cost the desk, against its own phone rules
// (README, design notes; figures in docs/benchmarks.md, "Phone numbers").
//
//   phone_bench NOP_C
//
// NOP_C is a C program that does nothing (phone_nop); this program, linked
// with libphonenumber, runs itself with --nop to measure what loading the
// library and its dependencies adds to every start.  Then, in process:
// the time and resident memory of PhoneNumberUtil::GetInstance (its first
// use), and the time per number of libphonenumber's Parse + IsValidNumber
// against td_validate_phone on the same numbers.  Prints figures; never
// fails on a slow machine.
#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/phonenumber.pb.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "totemdesk/validate.h"
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

double now_ms()
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

long rss_kb()
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = 0;
	if (f == nullptr)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			v = strtol(line + 6, nullptr, 10);
	fclose(f);
	return v;
}

// Median and 95th percentile of n runs of argv, in ms, with the peak RSS
// of the children.
void spawn_times(const char *label, char *const argv[], int n)
{
	std::vector<double> t;
	long maxrss = 0;
	for (int k = 0; k < n; k++) {
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		int status;
		struct rusage ru;
		wait4(pid, &status, 0, &ru);
		t.push_back(now_ms() - t0);
		maxrss = std::max(maxrss, ru.ru_maxrss);
	}
	std::sort(t.begin(), t.end());
	printf("%-44s median %6.2f ms  p95 %6.2f ms  peak RSS %5ld kB\n", label,
	       t[t.size() / 2], t[t.size() * 95 / 100], maxrss);
}

} // namespace

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--nop") == 0)
		return 0;
	if (argc < 2) {
		fprintf(stderr, "usage: phone_bench NOP_C\n");
		return 2;
	}
	char *self[] = {argv[0], (char *)"--nop", nullptr};
	char *nop[] = {argv[1], nullptr};

	// interleaved, so that the machine's load hits both alike
	for (int round = 0; round < 3; round++) {
		spawn_times("start, C program alone", nop, 100);
		spawn_times("start, same with libphonenumber loaded", self, 100);
	}

	long r0 = rss_kb();
	double t0 = now_ms();
	const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	double t1 = now_ms();
	long r1 = rss_kb();
	printf("libphonenumber first use (GetInstance): %.2f ms, +%ld kB "
	       "resident (%ld kB at main)\n", t1 - t0, r1 - r0, r0);

	std::mt19937 rng(7);
	std::vector<std::string> in;
	const char *pre[] = {"06", "03", "07", "+33 6", "+352 621", "+49 681",
			     "+32 470", "0696", "+41 22"};
	for (int k = 0; k < 20000; k++) {
		std::string s = pre[rng() % 9];
		while (s.size() < 14)
			s += (char)('0' + rng() % 10);
		in.push_back(s);
	}
	int valid = 0;
	double a = now_ms();
	for (const std::string &s : in) {
		PhoneNumber n;
		if (util->Parse(s, "FR", &n) == PhoneNumberUtil::NO_PARSING_ERROR &&
		    util->IsValidNumber(n))
			valid++;
	}
	double b = now_ms();
	char out[64];
	int ours = 0;
	for (const std::string &s : in)
		if (td_validate_phone(TD_COUNTRY_FR, s.c_str(), out, sizeof out) ==
		    TD_V_OK)
			ours++;
	double c = now_ms();
	printf("per number: libphonenumber %.2f us (%d valid), "
	       "td_validate_phone %.2f us (%d valid), %zu numbers\n",
	       (b - a) * 1e3 / (double)in.size(), valid,
	       (c - b) * 1e3 / (double)in.size(), ours, in.size());
	return 0;
}
