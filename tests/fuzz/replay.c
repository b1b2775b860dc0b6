/* The plain-program driver of the fuzz targets (tests/fuzz/meson.build):
 * runs LLVMFuzzerTestOneInput on every file given, or every regular file
 * of a directory given, so that any compiler's CI replays the seed
 * corpus and past crashes as an ordinary test.  Every target links this
 * one driver. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 65536, len = 0, n;
	unsigned char *b = malloc(cap);
	int rc = 0;
	while (b && (n = fread(b + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			unsigned char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (!b || ferror(f))
		rc = 1;
	fclose(f);
	if (!rc)
		LLVMFuzzerTestOneInput(b, len);
	free(b);
	return rc;
}

static int run_path(const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		++*count;
		return run_file(path);
	}
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		rc |= run_path(sub, count);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0, count = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		rc |= run_path(argv[i], &count);
	printf("%s: %d inputs run\n", argv[0], count);
	/* An empty corpus would make the test pass while testing nothing. */
	return rc || count == 0 ? 1 : 0;
}
