/* Logging in the OpenBSD style: warn and carry on, or die loudly. */
#ifndef KT_LOG_H
#define KT_LOG_H

#include <stdarg.h>
#include <stddef.h>

void	log_init(int foreground, int verbose, const char *ident);
void	log_setprefix(const char *prefix);
int	log_verbose(void);
void	log_escape(char *, size_t, const char *);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
