/*
 * Fuzz the price parser: any text either parses to a price in range or is
 * refused, and a parsed price formats back to the same number.  Also the
 * keyword check and the change shown against a previous report.
 */
#include <string.h>
#include <stdlib.h>

#include "price.h"
#include "fuzz.h"

#define FUZZ_PRICE_MAX	1000000000LL

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct price_row	 r;
	char			*s, buf[64];
	int64_t			 v, back;

	s = fuzz_cstr(data, size);
	if (price_parse(s, &v) == 0) {
		if (v <= 0 || v > FUZZ_PRICE_MAX)
			fuzz_fail("price_parse: accepted a price out of range");
		price_format(v, buf, sizeof(buf));
		if (price_parse(buf, &back) == -1 || back != v)
			fuzz_fail("price_parse: formatted price reads back "
			    "different");
		memset(&r, 0, sizeof(r));
		r.price = v;
		r.previous = FUZZ_PRICE_MAX + 1 - v;
		price_change(&r, buf, sizeof(buf));
		r.previous = 1;
		price_change(&r, buf, sizeof(buf));
	}
	if (price_name_ok(s) && (strlen(s) >= PRICE_NAME_MAX ||
	    strpbrk(s, " \t\r\n;'\"") != NULL))
		fuzz_fail("price_name_ok: accepted a name it should not");
	free(s);
	return 0;
}
