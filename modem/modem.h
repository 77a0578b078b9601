/* A modem worker: drives one phone through libgammu in its own process. */
#ifndef KT_MODEM_H
#define KT_MODEM_H

#include <stddef.h>

struct modem_params {
	char	name[32];
	char	device[256];
	char	connection[32];
	char	model[32];
	char	pin[16];
	char	url[256];		/* kannel: smsbox sendsms URL */
	char	listen[64];		/* kannel: "ADDR:PORT" for MO and DLR */
	char	username[64];		/* kannel: sendsms-user */
	char	password[64];
	int	poll_interval;		/* seconds between SIM scans */
	int	send_timeout;		/* seconds to wait for a send result */
	int	health_interval;	/* seconds between health reports */
	int	debug;			/* libgammu protocol trace to stderr */
	int	native;			/* engine = "native": modem/at*.c */
};

int	modem_main(int fd, const struct modem_params *);
int	at_speed(const char *connection);	/* -1: not AT serial */
int	modem_inject_dummy(const char *device, const char *sender,
	    const char *text, char *err, size_t errlen);

/* UTF-8 <-> libgammu's UCS-2 (big-endian, NUL-terminated) strings. */
size_t	sms_ucs2_to_utf8(const unsigned char *ucs2, char *out, size_t outlen);
size_t	sms_ucs2n_to_utf8(const unsigned char *ucs2, size_t nchars, char *out,
	    size_t outlen);
size_t	sms_utf8_to_ucs2(const char *utf8, unsigned char *out,
	    size_t outunits);
int	sms_utf8_valid(const char *s);

/* What a text costs to send. */
struct sms_cost {
	int	ucs2;		/* 0: GSM-7 */
	int	chars;
	int	units;		/* septets, or UCS-2 units */
	int	parts;
	char	culprit[5];	/* the first character that forced UCS-2 */
};

void	sms_count(const char *utf8, struct sms_cost *);

#endif
