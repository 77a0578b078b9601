/* Inbound text tidied before matching; echoes made safe to send back. */
#ifndef KT_NORM_H
#define KT_NORM_H

#include <stddef.h>

void	norm_text(const char *in, char *out, size_t outlen);
void	norm_fold(const char *in, char *out, size_t outlen);
void	norm_echo(const char *in, size_t maxchars, char *out, size_t outlen);

#endif
