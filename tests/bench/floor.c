/*
 * floor: the time libgammu itself needs for one SMS on an AT modem.
 *
 * Sends N one-part messages back to back through libgammu's AT driver,
 * with nothing else in the way (no database, no daemon), and prints each
 * GSM_SendSMS call plus the wait for its +CMGS answer in milliseconds,
 * one per line.  Any daemon built on libgammu -- kentongand and
 * gammu-smsd alike -- can go no faster than this per SMS on the same
 * simulated modem; libgammu's ATGEN_SendSMS sleeps 100 + 500 + 100 ms
 * around the PDU, which is most of it.
 *
 * usage: floor DEVICE N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gammu.h>

#define FLOOR_WAIT_SECS	30

static int	floor_status = -1;

/* Remember the result libgammu reports for the message just sent. */
static void
floor_on_sent(GSM_StateMachine *sm, int status, int ref, void *arg)
{
	(void)sm;
	(void)ref;
	(void)arg;
	floor_status = status;
}

/* Return monotonic time in milliseconds, as a double. */
static double
floor_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Open the modem the way kentongand's worker does. */
static GSM_StateMachine *
floor_open(const char *device)
{
	GSM_StateMachine	*sm;
	GSM_Config		*cfg;
	GSM_Error		 err;

	if ((sm = GSM_AllocStateMachine()) == NULL)
		return NULL;
	cfg = GSM_GetConfig(sm, 0);
	GSM_ReadConfig(NULL, cfg, 0);
	free(cfg->Device);
	free(cfg->Connection);
	cfg->Device = strdup(device);
	cfg->Connection = strdup("at");
	if (cfg->Device == NULL || cfg->Connection == NULL)
		return NULL;
	cfg->Model[0] = '\0';
	cfg->SyncTime = FALSE;
	cfg->LockDevice = FALSE;
	cfg->StartInfo = FALSE;
	cfg->UseGlobalDebugFile = FALSE;
	cfg->DebugLevel[0] = '\0';
	GSM_SetConfigNum(sm, 1);
	if ((err = GSM_InitConnection(sm, 1)) != ERR_NONE) {
		fprintf(stderr, "floor: %s: %s\n", device, GSM_ErrorString(err));
		return NULL;
	}
	GSM_SetSendSMSStatusCallback(sm, floor_on_sent, NULL);
	return sm;
}

/* Send one short message and wait for the modem's answer; -1 on error. */
static int
floor_send(GSM_StateMachine *sm, int i)
{
	GSM_SMSMessage	sms;
	GSM_Error	err;
	char		num[32], text[64];
	time_t		deadline = time(NULL) + FLOOR_WAIT_SECS;

	memset(&sms, 0, sizeof(sms));
	GSM_SetDefaultSMSData(&sms);
	snprintf(num, sizeof(num), "+6281299%06d", i);
	snprintf(text, sizeof(text), "CABAI, Pasar Kediri: Rp45.000/kg");
	EncodeUnicode(sms.Number, num, strlen(num));
	EncodeUnicode(sms.Text, text, strlen(text));
	sms.PDU = SMS_Submit;
	sms.UDH.Type = UDH_NoUDH;
	sms.Coding = SMS_Coding_Default_No_Compression;
	sms.Class = -1;
	sms.SMSC.Location = 1;
	floor_status = -1;
	if ((err = GSM_SendSMS(sm, &sms)) != ERR_NONE) {
		fprintf(stderr, "floor: send: %s\n", GSM_ErrorString(err));
		return -1;
	}
	while (floor_status == -1 && time(NULL) < deadline)
		GSM_ReadDevice(sm, TRUE);
	if (floor_status != 0) {
		fprintf(stderr, "floor: send %d: status %d\n", i, floor_status);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	GSM_StateMachine	*sm;
	double			 t0;
	long			 n;
	int			 i;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 10000) {
		fprintf(stderr, "usage: floor DEVICE N\n");
		return 2;
	}
	GSM_InitLocales(NULL);
	if ((sm = floor_open(argv[1])) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		t0 = floor_now_ms();
		if (floor_send(sm, i) == -1)
			return 1;
		printf("%.1f\n", floor_now_ms() - t0);
	}
	GSM_TerminateConnection(sm);
	GSM_FreeStateMachine(sm);
	return 0;
}
