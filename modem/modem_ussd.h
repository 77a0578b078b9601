/* The modem's own USSD: dial a service code, read the network's answer. */
#ifndef KT_MODEM_USSD_H
#define KT_MODEM_USSD_H

#include <gammu.h>

struct wire_ussd;

int	modem_ussd_command(GSM_StateMachine *, int fd, const struct wire_ussd *);

#endif
