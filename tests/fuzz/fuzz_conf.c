/*
 * Fuzz the configuration loader through a temp file, as the daemon reads
 * it: either an error naming the file, or a configuration whose values
 * are within the ranges the rest of the daemon relies on.
 */
#include <string.h>

#include "conf.h"
#include "fuzz.h"

/* Check what a loaded configuration promises its users. */
static void
fuzz_conf_check(const struct conf *c)
{
	int i;

	if (c->nmodems < 0 || c->nmodems > CONF_MODEMS_MAX ||
	    c->nadmins < 0 || c->nadmins > CONF_ADMINS_MAX)
		fuzz_fail("conf_load: counts out of range");
	if (memchr(c->database, '\0', sizeof(c->database)) == NULL ||
	    memchr(c->language, '\0', sizeof(c->language)) == NULL ||
	    memchr(c->country_code, '\0', sizeof(c->country_code)) == NULL)
		fuzz_fail("conf_load: unterminated string");
	for (i = 0; i < c->nmodems; i++)
		if (memchr(c->modems[i].name, '\0', CONF_NAME_MAX) == NULL ||
		    memchr(c->modems[i].device, '\0', CONF_PATH_MAX) == NULL ||
		    c->modems[i].poll_interval < 0 ||
		    c->modems[i].send_rate < 0)
			fuzz_fail("conf_load: bad modem entry accepted");
	if (c->http.enabled && (strchr(c->http.listen, ':') == NULL ||
	    c->http.max_body <= 0))
		fuzz_fail("conf_load: bad http group accepted");
}

const char	*__lsan_default_suppressions(void);

/*
 * libconfig 1.7's scanner leaks a few bytes on some parse errors (a
 * string cut short, a run of empty strings); conf_load always calls
 * config_destroy, so those are libconfig's, not ours to fix here.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libconfig.so\n";
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf	 conf;
	char			 err[CONF_ERR_MAX];
	const char		*path;

	/* @include could name /dev/stdin and hang the fuzzer. */
	if (memmem(data, size, "include", 7) != NULL)
		return 0;
	path = fuzz_file("conf", data, size);
	if (conf_load(path, &conf, err, sizeof(err)) == 0) {
		fuzz_conf_check(&conf);
		conf_check_devices(&conf, err, sizeof(err));
	} else if (strstr(err, path) == NULL)
		fuzz_fail("conf_load: error does not name the file");
	return 0;
}
