/*
 * The serial speed an AT connection name asks for ("at", "at19200" ...),
 * shared by the configuration check (in both programs) and the engines.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <termios.h>

#include "modem.h"

/* Map a connection name ("at", "at19200") to a termios speed. */
int
at_speed(const char *connection)
{
	static const struct { const char *s; int speed; } speeds[] = {
		{ "9600", B9600 }, { "19200", B19200 }, { "38400", B38400 },
		{ "57600", B57600 },
		{ "115200", B115200 }, { "230400", B230400 },
		{ "460800", B460800 }, { "921600", B921600 },
	};
	size_t i;

	if (strncasecmp(connection, "at", 2) != 0)
		return -1;
	if (connection[2] == '\0')
		return B115200;
	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (strcmp(connection + 2, speeds[i].s) == 0)
			return speeds[i].speed;
	return -1;
}
