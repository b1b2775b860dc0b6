/* The screen stack of the framework (src/ui/ui.c): each push allocates
 * the screen's state, zeroed, so one screen may be open twice with two
 * states; a refused enter leaves the stack as it was; a pop runs leave on
 * the popped screen's own state, which stays readable until the action
 * that popped it returns; the stack has a bottom and a top. */
#include "../../src/ui/tui.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

struct probe {
	int id;               /* the arg it was pushed with */
	int left;             /* times leave ran on this state */
	char zeroed[64];      /* zero when pushed */
};

static int entered, left_total;
static struct probe *last_left;

static int probe_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct probe *p = st;
	int id = *(const int *)arg;
	for (size_t i = 0; i < sizeof p->zeroed; i++)
		if (p->zeroed[i])
			return TD_EINVAL;
	if (id < 0)
		return TD_ENOTFOUND;      /* a refused push */
	p->id = id;
	entered++;
	return TD_OK;
}

static void probe_leave(struct td_ui *ui, void *st)
{
	struct probe *p = st;
	p->left++;
	left_total++;
	last_left = p;
}

static const struct td_screen probe = {
	.name = "probe",
	.size = sizeof(struct probe),
	.enter = probe_enter,
	.leave = probe_leave,
};

static struct probe *state_at(struct td_ui *ui, int i)
{
	return ui->stack[i].st;
}

static void open_twice(void **state)
{
	struct td_ui ui = { 0 };
	int one = 1, two = 2;

	entered = left_total = 0;
	assert_int_equal(td_ui_push(&ui, &probe, &one), TD_OK);
	assert_int_equal(td_ui_push(&ui, &probe, &two), TD_OK);
	assert_int_equal(ui.depth, 2);
	assert_ptr_equal(td_ui_top(&ui), &probe);
	/* Two states, each with its own argument. */
	assert_ptr_not_equal(state_at(&ui, 0), state_at(&ui, 1));
	assert_int_equal(state_at(&ui, 0)->id, 1);
	assert_int_equal(state_at(&ui, 1)->id, 2);

	/* The top one leaves with its own state, readable until the action
	 * returns (the main loop frees it then). */
	struct probe *top = state_at(&ui, 1);
	td_ui_pop(&ui);
	assert_ptr_equal(last_left, top);
	assert_int_equal(top->left, 1);
	assert_int_equal(top->id, 2);
	assert_int_equal(ui.depth, 1);
	assert_int_equal(state_at(&ui, 0)->left, 0);
	assert_false(ui.quit);
	td_ui_pop(&ui);
	assert_true(ui.quit);            /* the last screen gone: quit */
	assert_int_equal(left_total, 2);
	while (ui.npopped)
		free(ui.popped[--ui.npopped]);
}

static void refused_push(void **state)
{
	struct td_ui ui = { 0 };
	int one = 1, bad = -1;

	entered = left_total = 0;
	assert_int_equal(td_ui_push(&ui, &probe, &one), TD_OK);
	ui.full = false;
	assert_int_equal(td_ui_push(&ui, &probe, &bad), TD_ENOTFOUND);
	assert_int_equal(ui.depth, 1);
	assert_int_equal(state_at(&ui, 0)->id, 1);
	assert_false(ui.full);           /* nothing to repaint */
	assert_int_equal(left_total, 0); /* no leave without an enter */
	td_ui_pop(&ui);
	while (ui.npopped)
		free(ui.popped[--ui.npopped]);
}

static void stack_bounds(void **state)
{
	struct td_ui ui = { 0 };
	int id = 7;

	td_ui_pop(&ui);                  /* empty: nothing happens */
	assert_int_equal(ui.depth, 0);
	assert_null(td_ui_top(&ui));
	for (int i = 0; i < TD_UI_STACK_MAX; i++)
		assert_int_equal(td_ui_push(&ui, &probe, &id), TD_OK);
	assert_int_equal(td_ui_push(&ui, &probe, &id), TD_EINVAL);
	assert_int_equal(ui.depth, TD_UI_STACK_MAX);
	while (ui.depth)
		td_ui_pop(&ui);
	assert_int_equal(ui.npopped, TD_UI_STACK_MAX);
	while (ui.npopped)
		free(ui.popped[--ui.npopped]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_twice),
		cmocka_unit_test(refused_push),
		cmocka_unit_test(stack_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
