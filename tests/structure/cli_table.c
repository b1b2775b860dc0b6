/* Prints the command table of src/cli (td_cli_commands), one command a
 * line, for cli_commands.py to hold --help, the man page and the README
 * to it:
 *     NAME<TAB>ARGS_MIN<TAB>ARGS_MAX<TAB>OPTION[,OPTION...]
 * an option as its long name, "=" when it takes a value, and "/x" for its
 * short letter ("output=/o"). */
#include "totemdesk/cli.h"

#include <stdio.h>

int main(void)
{
	for (size_t i = 0; td_cli_commands[i]; i++) {
		const struct td_cli_command *c = td_cli_commands[i];
		printf("%s\t%d\t%d\t", c->name, c->args_min, c->args_max);
		for (const struct td_cli_option *o = c->options; o && o->name;
		     o++) {
			printf("%s%s%s", o == c->options ? "" : ",", o->name,
			       o->has_value ? "=" : "");
			if (o->short_name)
				printf("/%c", o->short_name);
		}
		printf("\n");
	}
	return 0;
}
