/* Reply texts: templates per language kept in the texts table. */
#ifndef KT_TEXT_H
#define KT_TEXT_H

#include <stddef.h>

struct store;

#define TEXT_BODY_MAX	1000	/* bytes of a template (render reads 1024) */

int	text_render(struct store *, const char *lang, const char *key,
	    const char *const *vars, char *out, size_t outlen);
void	text_expand(const char *tmpl, const char *const *vars, char *out,
	    size_t outlen);
int	text_set(struct store *, const char *key, const char *lang,
	    const char *body, char *why, size_t whylen);
void	text_append(char *buf, size_t len, const char *s);
size_t	text_utf8_fit(const char *s, size_t n);

#endif
