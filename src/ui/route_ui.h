/* Private helpers of the partner, route and referral screens: a one-line
 * prompt (text or choice among a few values) drawn above the status line,
 * and a status line of chosen key hints.  Only those screens include it. */
#ifndef TD_UI_ROUTE_UI_H
#define TD_UI_ROUTE_UI_H

#include "keymap.h"
#include "tui.h"

#include "totemdesk/domain.h"

#include <stdbool.h>
#include <stddef.h>

enum { RT_P_MORE, RT_P_DONE, RT_P_CANCEL };

#define RT_CHOICES_MAX 8

struct rt_prompt {
	bool active;
	int kind;                  /* the caller's tag: what is asked */
	char label[160];
	char buf[1024];            /* text typed, UTF-8 */
	size_t max_chars;
	/* choice mode when nchoices > 0: values and their labels */
	int nchoices, cur;
	int choices[RT_CHOICES_MAX];
	const char *clabels[RT_CHOICES_MAX];
};

/* Ask for a line of text (at most max_chars code points), starting from
 * init. */
void rt_prompt_text(struct rt_prompt *p, int kind, const char *label,
		    const char *init, size_t max_chars);

/* Ask to choose one of n values (labels already translated). */
void rt_prompt_choice(struct rt_prompt *p, int kind, const char *label,
		      const int *values, const char *const *labels, int n);

/* Feed a key: RT_P_DONE (Enter), RT_P_CANCEL (Esc) or RT_P_MORE. */
int rt_prompt_key(struct rt_prompt *p, const struct td_key *k);

/* Draw the prompt on row y, cursor at the end of the text. */
void rt_prompt_draw(struct td_ui *ui, const struct rt_prompt *p, int y);

/* Status line: the flash message, else "KEY label" for each action. */
void rt_hints(struct td_ui *ui, const enum td_action *acts, int n);

/* "advice|funding" as the translated labels of e, "conseil, financement"
 * (an unknown code as it is): partners store codes, people read words. */
void rt_code_labels(const char *list, const struct td_enum *e, char *out,
		    size_t outsz);

#endif
