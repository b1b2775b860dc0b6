/* The agenda record (agenda.h) is plain data shared by every layer: its
 * release lives in core, so that the screens that hold one may free it
 * without reaching into the store that fills it. */
#include "totemdesk/agenda.h"

#include <stdlib.h>
#include <string.h>

void td_agenda_free(struct td_agenda *a)
{
	free(a->items);
	memset(a, 0, sizeof *a);
}
