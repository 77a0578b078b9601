/*
 * `kentongan modem probe DEVICE`: run the native engine's start-up on a
 * device and say what it found -- the first thing a field technician
 * needs with a new dongle.  The worker's own code does the talking
 * (at_worker_run in probe mode), so what the probe shows is what the
 * daemon will see.
 */
#include <stdio.h>
#include <string.h>

#include "at.h"
#include "at_worker.h"
#include "modem.h"

/* Name a +CREG registration state. */
static const char *
at_probe_creg(int stat)
{
	static const char *const names[] = {
		"not registered", "registered, home network",
		"searching", "registration denied", "unknown",
		"registered, roaming"
	};

	if (stat < 0 || stat > 5)
		return "unknown";
	return names[stat];
}

/*
 * Probe a device; out(label, value, arg) is called per finding.  Return
 * 0 when the modem came up, -1 otherwise (the reason given as "error").
 */
int
at_probe(const char *device, const char *connection, const char *pin,
    int timeout, void (*out)(const char *, const char *, void *), void *arg)
{
	struct modem_params	p;
	struct at_worker_info		in;
	char			v[128];

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "probe");
	snprintf(p.device, sizeof(p.device), "%s", device);
	snprintf(p.connection, sizeof(p.connection), "%s", connection);
	snprintf(p.pin, sizeof(p.pin), "%s", pin);
	p.poll_interval = p.health_interval = 60;
	p.send_timeout = timeout;
	p.native = 1;
	memset(&in, 0, sizeof(in));
	at_worker_run(&p, -1, 1, &in);
	out("device", device, arg);
	if (in.hello.manufacturer[0] != '\0' || in.hello.model[0] != '\0') {
		snprintf(v, sizeof(v), "%s %s", in.hello.manufacturer,
		    in.hello.model);
		out("model", v, arg);
		out("imei", in.hello.imei, arg);
		out("profile", in.profile, arg);
	}
	if (in.sim[0] != '\0')
		out("sim", in.sim, arg);
	if (!in.ok) {
		out("error", in.error[0] != '\0' ? in.error :
		    "start-up did not finish", arg);
		return -1;
	}
	if (in.rssi >= 0 && in.rssi <= 31)
		snprintf(v, sizeof(v), "%d%% (+CSQ %d, %d dBm)",
		    in.signal_percent, in.rssi, -113 + 2 * in.rssi);
	else
		snprintf(v, sizeof(v), "unknown");
	out("signal", v, arg);
	out("registration", at_probe_creg(in.creg), arg);
	snprintf(v, sizeof(v), "%s%s%s", in.operator_name,
	    in.network[0] != '\0' ? " " : "", in.network);
	out("operator", v[0] != '\0' ? v : "unknown", arg);
	out("smsc", in.smsc[0] != '\0' ? in.smsc : "unknown", arg);
	if (in.sim_used >= 0)
		snprintf(v, sizeof(v), "%s %d/%d messages", in.storage[0] !=
		    '\0' ? in.storage : "SM", in.sim_used, in.sim_total);
	else
		snprintf(v, sizeof(v), "unknown");
	out("storage", v, arg);
	if (in.battery_percent >= 0) {
		snprintf(v, sizeof(v), "%d%%", in.battery_percent);
		out("battery", v, arg);
	}
	return 0;
}
