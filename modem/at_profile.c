/*
 * Modem profiles: what the native AT engine does differently per family
 * of modem, chosen by the +CGMI/+CGMM answers.
 *
 * DESIGN: a small table, not code per modem.  A profile adds commands
 * after the common init (Huawei's AT^CURC=0 turns off its periodic
 * ^RSSI/^BOOT/^MODE reports) and lists the unsolicited lines that carry
 * nothing for an SMS gateway, so they are dropped wherever they fall
 * (between the lines of a reply too).  The common URCs (+CMTI, +CDS,
 * +CUSD ...) are known to the channel itself (at_chan.c).
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "at.h"

static const char *const at_profile_huawei_init[] = { "AT^CURC=0", NULL };
static const char *const at_profile_huawei_noise[] = {
	"^RSSI:", "^BOOT:", "^MODE:", "^SRVST:", "^SIMST:", "^HCSQ:",
	"^DSFLOWRPT:", "^STIN:", "^CEND:", "^ORIG:", "^CONF:",
	"^CONN:", "^RSSILVL:", "^HRSSILVL:", "^NDISSTAT:", NULL
};
static const char *const at_profile_simcom_noise[] = {
	"RDY", "Call Ready", "SMS Ready", "+CFUN:", "+PBREADY", "NORMAL "
	    "POWER DOWN", "UNDER-VOLTAGE", "OVER-VOLTAGE", NULL
};
static const char *const at_profile_wavecom_init[] = { "AT+WIND=0", NULL };
static const char *const at_profile_wavecom_noise[] = { "+WIND:", NULL };
static const char *const at_profile_zte_noise[] = {
	"+ZDONR:", "+ZPASR:", "+ZUSIMR:", "+ZEND", "+ZSTR:", "+ZPSTM:",
	"+ZEMSCIQ:", "+ZCPI:", NULL
};
static const char *const at_profile_quectel_noise[] = {
	"RDY", "+QIND:", "+QUSIM:", "+CFUN:", "+QSTK:", "POWERED DOWN", NULL
};

/* Matched in order; the first whose word is in +CGMI or +CGMM wins. */
static const struct at_profile at_profiles[] = {
	{ "huawei", "huawei", at_profile_huawei_init,
	    at_profile_huawei_noise, "2,1,0,2,0" },
	{ "simcom", "simcom", NULL, at_profile_simcom_noise, "2,1,0,2,0" },
	{ "wavecom", "wavecom", at_profile_wavecom_init,
	    at_profile_wavecom_noise, "2,1,0,2,0" },
	{ "sierra", "sierra", at_profile_wavecom_init,
	    at_profile_wavecom_noise, "2,1,0,2,0" },
	{ "zte", "zte", NULL, at_profile_zte_noise, "2,1,0,2,0" },
	{ "quectel", "quectel", NULL, at_profile_quectel_noise,
	    "2,1,0,2,0" },
};

static const struct at_profile at_profile_generic = {
	"generic", "", NULL, NULL, "2,1,0,2,0"
};

/* Tell whether word occurs in s, ignoring case. */
static int
at_profile_has(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

/* The profile for a modem; the generic one when none matches. */
const struct at_profile *
at_profile_find(const char *manufacturer, const char *model)
{
	size_t i;

	for (i = 0; i < sizeof(at_profiles) / sizeof(at_profiles[0]); i++)
		if (at_profile_has(manufacturer, at_profiles[i].match) ||
		    at_profile_has(model, at_profiles[i].match))
			return &at_profiles[i];
	return &at_profile_generic;
}

/*
 * Start-up noise of every family, dropped before the modem has said who
 * it is (a SIM800 says "Call Ready" whenever it likes).
 */
const char *const *
at_profile_common_noise(void)
{
	static const char *const noise[] = {
		"RDY", "Call Ready", "SMS Ready", "+PBREADY", "^BOOT:",
		"^RSSI:", "^MODE:", "^SRVST:", "^SIMST:", "^HCSQ:",
		"^DSFLOWRPT:", "+WIND:", "+ZDONR:", "+ZPASR:", "+ZUSIMR:",
		"+QIND:", "+QUSIM:", NULL
	};

	return noise;
}
