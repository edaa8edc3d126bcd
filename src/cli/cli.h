/* cli.h: the kenes subcommands. Each takes argv with argv[0] = its name,
 * after the common options were taken out, and returns the exit status
 * (0 ok, 1 failure, 2 usage). */
#ifndef KN_CLI_H
#define KN_CLI_H

int kn_cli_main(int argc, char **argv);
/* Where the .mo catalogs are (locale_dir setting, else beside the binary). */
const char *kn_cli_locale_dir(void);

#endif
