/* What ncurses counts when it chooses how to update the screen.  Apart
 * from ui.c because <term.h> defines hundreds of macros ("lines",
 * "columns", "tab") that clash with ordinary names. */
#include "tui.h"

#include <stdlib.h>
#include <term.h>
#include <unistd.h>

/* Terminfo asks for padding after some sequences (vt100: "el=\E[K$<3>",
 * "cup=...$<5>"), which ncurses never sends to a terminal with XON/XOFF
 * flow control (xon), yet counts in the cost of each way to update the
 * screen: clearing the end of a row then looks dearer than writing 18
 * spaces over it.  With xon, let it count the bytes alone (the padding
 * sent does not change: none).  Before newterm, which computes the
 * costs; a value set by the user wins. */
void td_ui_count_bytes_only(void)
{
	int e = 0;
	if (getenv("NCURSES_NO_PADDING") ||
	    setupterm(NULL, STDOUT_FILENO, &e) != OK)
		return;
	if (tigetflag("xon") > 0)
		setenv("NCURSES_NO_PADDING", "1", 0);
	del_curterm(cur_term);
}
