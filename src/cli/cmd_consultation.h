/* cmd_consultation.h: `kenes consultation export|import` (Pol.is format). */
#ifndef KN_CLI_CMD_CONSULTATION_H
#define KN_CLI_CMD_CONSULTATION_H

int kn_cmd_consultation(int argc, char **argv);

#endif
