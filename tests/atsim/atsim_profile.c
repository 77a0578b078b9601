/*
 * Modem profiles of the simulator (-M NAME): what +CGMI/+CGMM answer,
 * and the unsolicited noise each family is known to send -- at power-on
 * and, until the profile's "quiet" command turns it off, between the
 * lines of replies and beside +CMTI.  The noise lines are those the
 * native engine's profile table (modem/at_profile.c) names:
 *   huawei   E173: ^BOOT, ^RSSI, ^MODE, ^DSFLOWRPT; AT^CURC=0 quiets it
 *   simcom   SIM800: RDY, +CFUN: 1, Call Ready, SMS Ready at power-on
 *   wavecom  +WIND: n; AT+WIND=0 quiets it
 *   zte      MF190: +ZDONR, +ZPASR, +ZUSIMR
 *   quectel  EC25: RDY, +QIND, +QUSIM
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "atsim.h"

struct atsim_profile {
	const char		*name;
	const char		*manufacturer;
	const char		*model;
	const char		*quiet;		/* command that stops noise */
	const char *const	 boot[5];	/* power-on lines */
	const char *const	 noise[4];	/* repeated, in turn */
};

static const struct atsim_profile atsim_profiles[] = {
	{ "generic", "Kentongan", "ATSIM-1", NULL, { NULL }, { NULL } },
	{ "huawei", "huawei", "E173", "^CURC",
	    { "^BOOT:20586301,0,0,0,75", "^RSSI:17", NULL },
	    { "^RSSI:21", "^MODE:5,4", "^DSFLOWRPT:00000003,00000000,"
	    "00000000,0000000000000000,0000000000000000,0003E800,0003E800",
	    "^BOOT:20586301,0,0,0,75" } },
	{ "simcom", "SIMCOM_Ltd", "SIMCOM_SIM800L", NULL,
	    { "RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready" },
	    { "Call Ready", "SMS Ready", NULL } },
	{ "wavecom", "WAVECOM MODEM", "MULTIBAND  900E  1800", "+WIND",
	    { "+WIND: 3", "+WIND: 1", NULL },
	    { "+WIND: 4", "+WIND: 7", "+WIND: 10,\"SM\",1,\"FD\",1", NULL } },
	{ "zte", "ZTE INCORPORATED", "MF190", NULL,
	    { "+ZDONR: \"TELKOMSEL\",510,10,\"CS_PS\",\"ROAM_OFF\"", NULL },
	    { "+ZPASR: \"UMTS\"", "+ZUSIMR:2", "+ZDONR: \"TELKOMSEL\",510,10,"
	    "\"CS_PS\",\"ROAM_OFF\"", NULL } },
	{ "quectel", "Quectel", "EC25", NULL,
	    { "RDY", "+CFUN: 1", "+QUSIM: 1", "+QIND: SMS DONE", NULL },
	    { "+QIND: \"csq\",21,99", "+QIND: PB DONE", NULL } },
};

static const struct atsim_profile	*atsim_profile = &atsim_profiles[0];
static int				 atsim_profile_quiet;
static unsigned				 atsim_profile_turn;

/* Choose the profile by name; -1 if there is none of that name. */
int
atsim_profile_set(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof atsim_profiles / sizeof atsim_profiles[0]; i++)
		if (strcasecmp(atsim_profiles[i].name, name) == 0) {
			atsim_profile = &atsim_profiles[i];
			return (0);
		}
	return (-1);
}

/* What AT+CGMI answers. */
const char *
atsim_profile_manufacturer(void)
{
	return (atsim_profile->manufacturer);
}

/* What AT+CGMM answers. */
const char *
atsim_profile_model(void)
{
	return (atsim_profile->model);
}

/*
 * The profile's quiet command (AT^CURC=0, AT+WIND=0) was given value v;
 * 0 if the profile knows the command, -1 (ERROR) if not.
 */
int
atsim_profile_command(const char *name, int v)
{
	if (atsim_profile->quiet == NULL ||
	    strcasecmp(name, atsim_profile->quiet) != 0)
		return (-1);
	atsim_profile_quiet = v == 0;
	atsim_stats.quieted += v == 0;
	return (0);
}

/* Power-on: noise on again, and the boot lines go out. */
void
atsim_profile_boot(void)
{
	size_t i;

	atsim_profile_quiet = 0;
	for (i = 0; i < 5 && atsim_profile->boot[i] != NULL; i++)
		atsim_at_unsolicited("%s", atsim_profile->boot[i]);
}

/*
 * Append the next noise line (as "\r\nLINE\r\n") to b, unless the
 * profile has none or was quieted.
 */
void
atsim_profile_noise(struct atsim_buf *b)
{
	const char *line;

	if (atsim_profile_quiet || atsim_profile->noise[0] == NULL)
		return;
	line = atsim_profile->noise[atsim_profile_turn % 4];
	if (line == NULL)
		line = atsim_profile->noise[0];
	atsim_profile_turn++;
	atsim_stats.noise++;
	atsim_buf_printf(b, "\r\n%s\r\n", line);
}
