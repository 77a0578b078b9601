/* The modem worker on the native AT engine (at_worker.c). */
#ifndef KT_AT_WORKER_H
#define KT_AT_WORKER_H

#include "wire.h"

struct modem_params;

/* What start-up and the health queries found (for `modem probe`). */
struct at_worker_info {
	int			ok;		/* start-up completed */
	struct wire_hello	hello;
	char			profile[32];
	char			sim[64];	/* +CPIN: READY, SIM PIN ... */
	int			rssi;		/* +CSQ, -1 unknown */
	int			signal_percent;
	int			battery_percent;
	int			creg;		/* +CREG stat, -1 unknown */
	char			network[WIRE_INFO_MAX];
	char			operator_name[WIRE_INFO_MAX];
	char			smsc[WIRE_NUMBER_MAX];
	char			storage[16];
	int			sim_used;
	int			sim_total;
	char			error[WIRE_ERROR_MAX];
};

int	at_worker_main(int fd, const struct modem_params *);
int	at_worker_run(const struct modem_params *, int fd, int probe,
	    struct at_worker_info *);

#endif
