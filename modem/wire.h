/*
 * Messages between the event loop and a modem worker process.
 *
 * Both ends are the same binary (the worker is forked, not exec'd), so a
 * message is one fixed-size struct sent as one SOCK_SEQPACKET datagram.
 * Every string is NUL-terminated within its array.
 */
#ifndef KT_WIRE_H
#define KT_WIRE_H

#include <stdint.h>

#define WIRE_NUMBER_MAX		32
#define WIRE_PART_TEXT_MAX	(4 * 160 + 1)	/* one part as UTF-8 */
#define WIRE_SEND_TEXT_MAX	4096		/* a whole reply as UTF-8 */
#define WIRE_ERROR_MAX		160
#define WIRE_INFO_MAX		64

enum wire_type {
	WIRE_HELLO = 1,		/* worker -> loop: modem opened */
	WIRE_DOWN,		/* worker -> loop: modem not usable */
	WIRE_SMS_IN,		/* worker -> loop: a message part read */
	WIRE_STORED,		/* loop -> worker: committed, delete it */
	WIRE_SEND,		/* loop -> worker: send this */
	WIRE_SENT,		/* worker -> loop: result of a send */
	WIRE_HEALTH,		/* worker -> loop: signal, network, memory */
	WIRE_HEARTBEAT,		/* worker -> loop: still alive */
	WIRE_REPORT,		/* worker -> loop: a delivery report read */
	WIRE_USSD,		/* loop -> worker: dial a USSD code */
	WIRE_USSD_REPLY,	/* worker -> loop: the network's answer */
};

enum wire_coding {
	WIRE_CODING_GSM7 = 0,
	WIRE_CODING_UCS2,
	WIRE_CODING_8BIT,
	WIRE_CODING_UNDECODABLE,	/* text is the raw PDU in hex */
};

struct wire_hello {
	char	manufacturer[WIRE_INFO_MAX];
	char	model[WIRE_INFO_MAX];
	char	imei[WIRE_INFO_MAX];
};

struct wire_down {
	int	fatal;			/* 1: do not retry (e.g. PIN refused) */
	char	error[WIRE_ERROR_MAX];
};

struct wire_sms_in {
	int	folder;
	int	location;
	int	fresh;			/* 1: the worker emptied this slot since
					   it last read it: a new message, not
					   a second read of a stored one */
	int	coding;			/* enum wire_coding */
	int	concat_ref;		/* -1 when not concatenated */
	int	concat_part;		/* 1-based */
	int	concat_total;
	char	sender[WIRE_NUMBER_MAX];
	char	smsc_time[32];		/* YYYY-MM-DD HH:MM:SS +ZZZZ */
	char	text[WIRE_PART_TEXT_MAX];	/* UTF-8; hex for 8-bit */
};

struct wire_stored {
	int	folder;
	int	location;
};

struct wire_send {
	int64_t	outbox_id;
	int	want_report;
	int	parts_done;		/* parts of a long text already sent */
	int	concat_ref;		/* with this reference; -1 none */
	char	recipient[WIRE_NUMBER_MAX];
	char	text[WIRE_SEND_TEXT_MAX];
};

struct wire_sent {
	int64_t	outbox_id;
	int	ok;
	int	permanent;		/* failure that retrying cannot fix */
	int	link;			/* the modem went away, not the message's fault */
	int	parts;			/* sent so far, also when failed */
	int	msg_ref;
	int	concat_ref;		/* of a long text's parts; -1 none */
	char	error[WIRE_ERROR_MAX];
};

struct wire_health {
	int	signal_percent;		/* -1 unknown */
	int	battery_percent;	/* -1 unknown */
	int	sim_used;		/* -1 unknown */
	int	sim_total;
	char	network[WIRE_INFO_MAX];
	char	operator_name[WIRE_INFO_MAX];
};

/* A status report; acknowledged with WIRE_STORED like a message. */
struct wire_report {
	int	folder;
	int	location;
	int	msg_ref;
	int	status;			/* TP-Status: <0x20 delivered, >=0x40 failed */
	char	recipient[WIRE_NUMBER_MAX];
};

#define WIRE_USSD_CODE_MAX	64
#define WIRE_USSD_TEXT_MAX	(3 * 182 + 1)	/* a USSD answer as UTF-8 */

struct wire_ussd {
	int64_t	id;			/* ussd_requests row */
	int	timeout;		/* seconds to wait for the answer */
	char	code[WIRE_USSD_CODE_MAX];
};

struct wire_ussd_reply {
	int64_t	id;
	int	ok;
	char	text[WIRE_USSD_TEXT_MAX];
	char	error[WIRE_ERROR_MAX];
};

struct wire_msg {
	uint32_t	type;		/* enum wire_type */
	union {
		struct wire_hello	hello;
		struct wire_down	down;
		struct wire_sms_in	sms_in;
		struct wire_stored	stored;
		struct wire_send	send;
		struct wire_sent	sent;
		struct wire_health	health;
		struct wire_report	report;
		struct wire_ussd	ussd;
		struct wire_ussd_reply	ussd_reply;
	} u;
};

#endif
