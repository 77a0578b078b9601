/*
 * A plain main for a fuzz target: runs every file of the corpus folders
 * (or files) named on the command line, or of the target's own corpus
 * (test_fuzz_NAME: tests/fuzz/corpus/NAME, from the top of the tree),
 * through LLVMFuzzerTestOneInput once each.
 * `make check` runs these under gcc and the sanitizers without libFuzzer.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"


#define REPLAY_FILE_MAX	(1024 * 1024)

/* Run one file through the target; -1 if it cannot be read. */
static int
replay_file(const char *path)
{
	static unsigned char	 buf[REPLAY_FILE_MAX];
	unsigned char		*copy;
	FILE			*f;
	size_t			 n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	/* An exact-size heap copy, so ASan sees reads past the end. */
	if ((copy = malloc(n > 0 ? n : 1)) == NULL)
		return -1;
	memcpy(copy, buf, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	return 0;
}

/* Run a file, or every regular file in a folder; return the count. */
static int
replay_path(const char *path)
{
	struct dirent	*d;
	struct stat	 st;
	DIR		*dir;
	char		 file[1024];
	int		 n = 0;

	if (stat(path, &st) == -1) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	if ((dir = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(file) == -1) {
				closedir(dir);
				return -1;
			}
			n++;
		}
	}
	closedir(dir);
	return n;
}

/* Replay the named files or folders, or this target's own corpus. */
int
main(int argc, char *argv[])
{
	const char	*name;
	char		 dir[256];
	int		 i, n, total = 0;

	if (argc < 2) {
		name = strrchr(argv[0], '/') != NULL ?
		    strrchr(argv[0], '/') + 1 : argv[0];
		if (strncmp(name, "test_fuzz_", 10) == 0)
			name += 10;
		snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
		if ((total = replay_path(dir)) <= 0) {
			fprintf(stderr, "%s: no inputs in %s\n", argv[0], dir);
			return 1;
		}
	}
	for (i = 1; i < argc; i++) {
		if ((n = replay_path(argv[i])) < 0)
			return 1;
		total += n;
	}
	printf("%s: %d inputs replayed, no crash\n", argv[0], total);
	return 0;
}
