/* cmd_tick.h: `kenes tick`: one run of the deadline scanner and mail sender, for cron. */
#ifndef KN_CLI_CMD_TICK_H
#define KN_CLI_CMD_TICK_H

int kn_cmd_tick(int argc, char **argv);

#endif
