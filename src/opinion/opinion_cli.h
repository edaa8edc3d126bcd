/* opinion_cli.h: the `kenes opinion ...` command (analyze a Pol.is export, synthesize data). */
#ifndef KN_OPINION_CLI_H
#define KN_OPINION_CLI_H

/* argv[0] is "opinion", argv[1] the subcommand ("analyze", "synth").
 * Returns the exit status: 0 ok, 1 error, 2 usage. */
int kn_cmd_opinion(int argc, char **argv);

#endif
