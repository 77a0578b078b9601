/*
 * atsim: a simulated GSM modem speaking AT commands on a pseudo-terminal.
 * Shared declarations of the simulator's files; see atsim.c for the design.
 */

#ifndef ATSIM_H
#define ATSIM_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define ATSIM_LINEMAX	1024	/* one AT command line */
#define ATSIM_CTLMAX	8192	/* one control socket line */
#define ATSIM_HEXMAX	1024	/* hex digits of one stored or sent PDU */
#define ATSIM_SIMMAX	255	/* largest SIM storage (-m) */
#define ATSIM_TEXTMAX	1024	/* USSD reply text */

/* Knobs set from the command line and the control socket. */
struct atsim_knobs {
	int		 debug;
	int		 reply_delay;	/* ms added to every reply */
	int		 send_delay;	/* ms before answering AT+CMGS */
	int		 fail_send;	/* next N AT+CMGS fail */
	int		 fail_code;	/* with this +CMS ERROR */
	int		 fail_after;	/* sends that go through first */
	int		 hang;		/* answer nothing */
	char		 pin[16];	/* empty: no PIN asked */
	char		 ussd_reply[ATSIM_TEXTMAX];
};

/* Counters reported by the control command "stats". */
struct atsim_stats {
	unsigned long	 received_submits;
	unsigned long	 cmgs;
	unsigned long	 cmgd;
	unsigned long	 pin_attempts;
	unsigned long	 commands;
	unsigned long	 ussd;
	unsigned long	 noise;		/* profile noise lines sent */
	unsigned long	 quieted;	/* AT^CURC=0 / AT+WIND=0 taken */
};

/* A growable byte buffer. */
struct atsim_buf {
	char		*data;
	size_t		 len;
	size_t		 size;
};

extern struct atsim_knobs	 atsim_knobs;
extern struct atsim_stats	 atsim_stats;

/* atsim.c */
uint64_t	 atsim_now(void);
void		 atsim_debug(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 atsim_warnx(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 atsim_fatalx(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
void		 atsim_tty_send(const char *, size_t, int);
void		 atsim_tty_flushq(void);
int		 atsim_tty_drop(void);
int		 atsim_tty_return(void);
const char	*atsim_tty_path(void);
void		 atsim_quit(void);
void		 atsim_buf_add(struct atsim_buf *, const void *, size_t);
void		 atsim_buf_printf(struct atsim_buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 atsim_buf_free(struct atsim_buf *);
size_t		 atsim_strlcpy(char *, const char *, size_t);
int		 atsim_number(const char *, long, long, long *);

/* atsim_at.c */
void		 atsim_at_reset(int);
void		 atsim_at_input(const char *, size_t);
void		 atsim_at_unsolicited(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 atsim_at_notify_sms(int);
void		 atsim_at_abort(void);

/* atsim_sim.c */
int		 atsim_sim_init(int, const char *);
void		 atsim_sim_close(void);
int		 atsim_sim_size(void);
int		 atsim_sim_used(void);
int		 atsim_sim_get(int, int *, size_t *, const char **);
void		 atsim_sim_mark_read(int);
int		 atsim_sim_delete(int);
int		 atsim_sim_store_hex(const char *, char *, size_t);
int		 atsim_sim_inject(const char *, const char *, int, int,
		    const char *, char *, size_t);
int		 atsim_sim_inject_8bit(const char *, const char *, char *,
		    size_t);
int		 atsim_sim_submit(const char *, int, char *, size_t);

/* atsim_profile.c */
int		 atsim_profile_set(const char *);
const char	*atsim_profile_manufacturer(void);
const char	*atsim_profile_model(void);
int		 atsim_profile_command(const char *, int);
void		 atsim_profile_boot(void);
void		 atsim_profile_noise(struct atsim_buf *);

/* atsim_text.c */
int		 atsim_text_utf8_decode(const char *, uint32_t *, size_t,
		    size_t *);
int		 atsim_text_gsm_septets(uint32_t);
void		 atsim_text_utf16_to_utf8(const unsigned char *, size_t,
		    char *, size_t, int);
int		 atsim_text_hex_decode(const char *, unsigned char *, size_t,
		    size_t *);
void		 atsim_text_hex_encode(const unsigned char *, size_t, char *,
		    size_t);

/* atsim_ctl.c */
int		 atsim_ctl_listen(const char *);
void		 atsim_ctl_close(void);
int		 atsim_ctl_pollfds(struct pollfd *, int);
void		 atsim_ctl_handle(struct pollfd *, int);
int		 atsim_ctl_client(const char *, int, char **);

#endif /* ATSIM_H */
