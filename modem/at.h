/*
 * The native AT engine: kentongan's own asynchronous AT command channel
 * (at_chan.c), the PDU codec on libgammu's public functions (at_pdu.c),
 * modem profiles (at_profile.c), the worker built on them (at_worker.c)
 * and `kentongan modem probe` (at_probe.c).
 */
#ifndef KT_AT_H
#define KT_AT_H

#include <stddef.h>

#include <gammu.h>

#include "modem.h"

struct event_base;
struct wire_sms_in;
struct wire_report;

#define AT_LINE_MAX	1024		/* longest line kept from the modem */
#define AT_CMD_MAX	192		/* longest command line we send */
#define AT_PDU_HEX_MAX	(2 * 200)	/* hex digits of one PDU */

/* How a command ended. */
enum at_result {
	AT_OK,
	AT_ERROR,		/* ERROR, COMMAND NOT SUPPORT, NO CARRIER ... */
	AT_CME,			/* +CME ERROR: code */
	AT_CMS,			/* +CMS ERROR: code */
	AT_TIMEOUT,		/* no final result in time: modem silent */
	AT_GONE,		/* the device went away */
};

struct at_chan;

/* An information line of the command in flight. */
typedef void	at_line_fn(struct at_chan *, const char *line, void *arg);
/* The command's final result; code is the CME/CMS number or -1. */
typedef void	at_done_fn(struct at_chan *, enum at_result, int code,
		    void *arg);
/* An unsolicited line; pdu is the second line of +CMT/+CDS, or NULL. */
typedef void	at_urc_fn(struct at_chan *, const char *line,
		    const char *pdu, void *arg);
/* The device went away or stopped answering, outside any command. */
typedef void	at_lost_fn(struct at_chan *, const char *why, void *arg);

/* at_chan.c */
struct at_chan	*at_chan_open(struct event_base *, const char *device,
		    int speed, char *err, size_t errlen);
void		 at_chan_set_urc(struct at_chan *, at_urc_fn *, at_lost_fn *,
		    void *);
void		 at_chan_set_noise(struct at_chan *, const char *const *);
int		 at_chan_cmd(struct at_chan *, const char *cmd,
		    const char *pdu, int timeout_ms, at_line_fn *, at_done_fn *,
		    void *arg);
int		 at_chan_cmd_next(struct at_chan *, const char *cmd,
		    const char *pdu, int timeout_ms, at_line_fn *,
		    at_done_fn *, void *arg);
int		 at_chan_idle(const struct at_chan *);
void		 at_chan_close(struct at_chan *);
const char	*at_chan_result(enum at_result, int code, char *, size_t);

/* at_pdu.c */
int		 at_pdu_decode(const char *hex, GSM_SMSMessage *);
int		 at_pdu_submit(const GSM_SMSMessage *, char *hex, size_t,
		    int *tpdu_len);
int		 at_pdu_sane(const unsigned char *, size_t, int smsc);
int		 at_pdu_concat_ref(GSM_UDHHeader *, int ref);
void		 at_pdu_sms_in(const GSM_SMSMessage *, struct wire_sms_in *);
void		 at_pdu_report(const GSM_SMSMessage *, struct wire_report *);
int		 at_pdu_ussd_text(const char *s, int dcs, char *out, size_t);

/* at_profile.c */
struct at_profile {
	const char		*name;		/* "huawei", "simcom" ... */
	const char		*match;		/* in +CGMI/+CGMM, any case */
	const char *const	*init;		/* extra commands after CNMI */
	const char *const	*noise;		/* URC prefixes to ignore */
	const char		*cnmi;		/* AT+CNMI= arguments */
};

const struct at_profile	*at_profile_find(const char *manufacturer,
			    const char *model);
const char *const	*at_profile_common_noise(void);

/* at_probe.c */
int		 at_probe(const char *device, const char *connection,
		    const char *pin, int timeout, void (*out)(const char *,
		    const char *, void *), void *arg);

#endif
