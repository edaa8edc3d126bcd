/* main.c: the kenes binary's entry point. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return kn_cli_main(argc, argv);
}
