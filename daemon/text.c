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

/* Replace {name} placeholders in tmpl; unknown ones are left as they are. */
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

/* Tell whether every {name} in body is also in known. */
static int
text_fields_known(const char *body, const char *known, char *bad,
    size_t badlen)
{
	const char	*p, *e;
	char		 f[40];

	for (p = body; (p = strchr(p, '{')) != NULL; p = e) {
		if ((e = strchr(p, '}')) == NULL)
			return 1;
		snprintf(f, sizeof(f), "%.*s", (int)(e - p + 1), p);
		if (strstr(known, f) == NULL) {
			snprintf(bad, badlen, "%s", f);
			return 0;
		}
	}
	return 1;
}

/*
 * Change the text of key in lang (an admin's edit), inside the caller's
 * transaction.  Refused (-2, why says so) when it is empty, longer than a
 * template may be, or uses a {placeholder} the text it replaces does not
 * know.  1 changed, 0 no such text, -1 on a database error.
 */
int
text_set(struct store *s, const char *key, const char *lang,
    const char *body, char *why, size_t whylen)
{
	static const char get[] = "SELECT body FROM texts WHERE key = ? AND "
	    "language = ?";
	static const char put[] = "UPDATE texts SET body = ? WHERE key = ? "
	    "AND language = ?";
	sqlite3_stmt	*st;
	char		 old[TEXT_BODY_MAX + 1] = "", bad[40];
	int		 rc;

	if (body[0] == '\0' || strlen(body) > TEXT_BODY_MAX) {
		snprintf(why, whylen, "text: 1 to %d bytes", TEXT_BODY_MAX);
		return -2;
	}
	if ((st = store_stmt(s, get)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_copy_text(st, 0, old, sizeof(old));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if (!text_fields_known(body, old, bad, sizeof(bad))) {
		snprintf(why, whylen, "%s is not a placeholder of this text",
		    bad);
		return -2;
	}
	if ((st = store_stmt(s, put)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}
