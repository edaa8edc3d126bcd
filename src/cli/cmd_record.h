/* cmd_record.h: the public-record commands: keygen, checkpoint, verify,
 * export and outbox. Each takes argv with argv[0] = its name and returns
 * the exit status (0 ok, 1 failure, 2 usage). */
#ifndef KN_CLI_CMD_RECORD_H
#define KN_CLI_CMD_RECORD_H

int kn_cmd_keygen(int argc, char **argv);
int kn_cmd_checkpoint(int argc, char **argv);
int kn_cmd_verify(int argc, char **argv);
int kn_cmd_export(int argc, char **argv);
int kn_cmd_outbox(int argc, char **argv);

#endif
