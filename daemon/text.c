/*
 * Reply texts.  Templates come from the texts table, in the contact's
 * language with Indonesian as the fallback, and use {name} placeholders.
 * Admins edit these strings, so they are never used as printf formats.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "text.h"

/* Append s to buf without overrunning it. */
void
text_append(char *buf, size_t len, const char *s)
{
	size_t used = strnlen(buf, len);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s", s);
}

/* Look a placeholder name up in a NULL-terminated name/value list. */
static const char *
text_var(const char *const *vars, const char *name, size_t namelen)
{
	for (; vars != NULL && vars[0] != NULL; vars += 2)
		if (strlen(vars[0]) == namelen &&
		    strncmp(vars[0], name, namelen) == 0)
			return vars[1] ? vars[1] : "";
	return NULL;
}

/* Replace {name} placeholders in tmpl; unknown ones are left as they are. */
/*
 * The longest prefix of s, at most n bytes, that does not end inside a
 * UTF-8 character (s is at least n bytes long).
 */
size_t
text_utf8_fit(const char *s, size_t n)
{
	size_t k = n;

	if (s[n] == '\0' || ((unsigned char)s[n] & 0xc0) != 0x80)
		return n;	/* the next byte starts a character */
	while (k > 0 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
		k--;
	return k > 0 ? k - 1 : 0;	/* drop the cut character's lead */
}

void
text_expand(const char *tmpl, const char *const *vars, char *out,
    size_t outlen)
{
	const char	*p, *end, *val;
	size_t		 o = 0, n;

	if (outlen == 0)
		return;
	for (p = tmpl; *p != '\0' && o + 1 < outlen; ) {
		if (*p == '{' && (end = strchr(p + 1, '}')) != NULL &&
		    (val = text_var(vars, p + 1, (size_t)(end - p - 1))) !=
		    NULL) {
			n = strlen(val);
			if (n > outlen - 1 - o)
				n = text_utf8_fit(val, outlen - 1 - o);
			memcpy(out + o, val, n);
			o += n;
			p = end + 1;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	/* Cut short inside a character of the template: drop all of it. */
	if (((unsigned char)*p & 0xc0) == 0x80) {
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
		out[o > 0 ? o - 1 : 0] = '\0';
	}
}

/* Render text key in lang (falling back to Indonesian) into out. */
int
text_render(struct store *s, const char *lang, const char *key,
    const char *const *vars, char *out, size_t outlen)
{
	static const char sql[] = "SELECT body FROM texts WHERE key = ? "
	    "AND language IN (?, 'id') ORDER BY language = ? DESC LIMIT 1";
	sqlite3_stmt	*st;
	char		 tmpl[1024];

	snprintf(tmpl, sizeof(tmpl), "%s", key);
	if ((st = store_stmt(s, sql)) != NULL) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			store_copy_text(st, 0, tmpl, sizeof(tmpl));
		sqlite3_reset(st);
	}
	text_expand(tmpl, vars, out, outlen);
	return 0;
}
