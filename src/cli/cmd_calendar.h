/* cmd_calendar.h: the `kenes calendar` command (month view, adding working days, checking a calendar file). */
#ifndef KN_CLI_CMD_CALENDAR_H
#define KN_CLI_CMD_CALENDAR_H

#include <stdio.h>

/* argv[0] is "calendar". Prints to stdout/stderr and returns the exit
 * status: 0 ok, 1 error (bad calendar file, date out of range), 2 usage. */
int kn_cmd_calendar(int argc, char **argv);
/* The same, writing normal output to out and errors to err (for tests). */
int kn_cmd_calendar_io(int argc, char **argv, FILE *out, FILE *err);

#endif
