/* `kpidesk demo`: a believable team in an empty database.
 *
 * The data is planned in memory first, then written in one batch:
 *
 *   1. agents: names from the embedded list, shuffled; each gets a profile
 *      (star, struggler, newcomer, ...) that fixes its tier history, hire
 *      date and a target score range for each month of the period;
 *   2. events: for each agent and month, occurrences drawn at the rates of
 *      the month's target (a weak month has more lateness and curt replies)
 *      plus the profile's story (the struggler's complaints and quarrel);
 *   3. steering: each agent-month is scored with score_month() and moved
 *      into its target range by dropping or adding ordinary events, one at a
 *      time, always the move that brings the score closest to the range;
 *   4. a few duplicate entries, voided as typing errors;
 *   5. everything is inserted in date order, so entry order is chronological.
 *
 * The targets are chosen so that every month's board under the default
 * rulebook shows each grade A to F, a rank-1 streak, promote, demote,
 * dismiss_review, no_bonus and probation flags. The only source of chance is
 * a splitmix64 generator seeded by the options, so the same seed and today
 * give the same database.
 */
#include "kpidesk/demo.h"
#include "demo_internal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/score.h"
#include "kpidesk/text.h"

/* ---- the random source ---- */

/* splitmix64 (Steele, Lea, Flood 2014): any seed, 0 included, is fine. */
static uint64_t rng_next(struct demo_rng *rng)
{
	uint64_t z = (rng->state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A whole number in [lo, hi]. The modulo bias is far below anything a demo
 * could show. */
int32_t demo_rng_range(struct demo_rng *rng, int32_t lo, int32_t hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)((int64_t)hi - (int64_t)lo) + 1;
	return (int32_t)((int64_t)lo + (int64_t)(rng_next(rng) % span));
}

static bool rng_permille(struct demo_rng *rng, int permille)
{
	return demo_rng_range(rng, 0, 999) < permille;
}

/* ---- profiles ---- */

/* clang-format off */
static const int64_t target_range[][2] = {
	[TARGET_NONE]   = {0, 0},
	[TARGET_TOP]    = {9600, 10400},
	[TARGET_A]      = {9100, 9450},
	[TARGET_B]      = {8100, 8900},
	[TARGET_BH]     = {8600, 8950},
	[TARGET_C]      = {7100, 7850},
	[TARGET_D]      = {6550, 6900},
	[TARGET_E]      = {6050, 6450},
	[TARGET_F]      = {4600, 5800},
};
/* clang-format on */

/* The order profiles are handed out: a team of 8 has the whole story. */
static const enum demo_profile core_profiles[] = {
    PROFILE_STAR,   PROFILE_STRUGGLER, PROFILE_NEWCOMER,
    PROFILE_RISING, PROFILE_SLIPPING,  PROFILE_SHAKY,
    PROFILE_STEADY, PROFILE_SOLID,     PROFILE_LEAVER,
};
static const enum demo_profile filler_profiles[] = {
    PROFILE_GOOD, PROFILE_FAIR, PROFILE_GOOD, PROFILE_ACE, PROFILE_FAIR,
};

struct demo_profile_info {
	int tier;          /* tier index at the end (clamped to the rulebook) */
	int tier_before;   /* the tier before a promotion, or -1 */
	int promoted_back; /* the new tier began this many months ago */
	int32_t hired_min; /* days before today */
	int32_t hired_max;
	/* Targets for the month k months back: k = 0, 1, 2, odd k >= 3,
	 * even k >= 4. Chosen so that each month has every grade. */
	enum demo_target targets[5];
};

/* clang-format off */
#define T5(a, b, c, d, e)                                                      \
	{TARGET_##a, TARGET_##b, TARGET_##c, TARGET_##d, TARGET_##e}

static const struct demo_profile_info profile_info[PROFILE_COUNT] = {
	/*                   tier was back  hired days   targets k=0..even */
	[PROFILE_STAR]      = {3,  2, 14, 1300, 1600, T5(TOP,TOP,TOP,TOP,TOP)},
	[PROFILE_STRUGGLER] = {1, -1,  0,  380,  440, T5(F, F, E, D, E)},
	[PROFILE_NEWCOMER]  = {0, -1,  0,    0,    0, T5(C, B, B, B, B)},
	[PROFILE_RISING]    = {0, -1,  0,  250,  300, T5(BH, BH, BH, BH, BH)},
	[PROFILE_SLIPPING]  = {1,  0,  1,  320,  360, T5(D, E, BH, BH, BH)},
	[PROFILE_SHAKY]     = {0, -1,  0,  190,  230, T5(E, D, C, E, C)},
	[PROFILE_STEADY]    = {2, -1,  0,  480,  600, T5(C, C, D, C, D)},
	[PROFILE_SOLID]     = {2,  1,  2,  700, 1000, T5(B, B, B, B, B)},
	[PROFILE_LEAVER]    = {1, -1,  0,  560,  760, T5(NONE, E, F, F, F)},
	[PROFILE_GOOD]      = {1, -1,  0,  120, 1500, T5(B, B, B, B, B)},
	[PROFILE_FAIR]      = {0, -1,  0,  120,  900, T5(C, C, C, C, C)},
	[PROFILE_ACE]       = {2, -1,  0,  400, 1800, T5(A, A, A, A, A)},
};
/* clang-format on */

static enum demo_target profile_target(enum demo_profile profile, int back)
{
	const struct demo_profile_info *info = &profile_info[profile];
	if (back <= 2)
		return info->targets[back];
	return info->targets[back % 2 == 1 ? 3 : 4];
}

/* ---- event rates ---- */

/* How an agent behaves in a month, from the month's target. */
enum demo_form {
	FORM_EXCELLENT,
	FORM_GOOD,
	FORM_FAIR,
	FORM_WEAK,
	FORM_POOR,
	FORM_COUNT
};

static enum demo_form target_form(enum demo_target target)
{
	int64_t lo = target_range[target][0];
	if (lo >= 9100)
		return FORM_EXCELLENT;
	if (lo >= 8000)
		return FORM_GOOD;
	if (lo >= 7000)
		return FORM_FAIR;
	if (lo >= 6000)
		return FORM_WEAK;
	return FORM_POOR;
}

/* Occurrences per full month, in tenths, by form. Categories the rulebook
 * does not have are skipped. Complaints drawn here are at most one a month;
 * the struggler's are added by its story. */
struct demo_rate {
	const char *key;
	int per_month_x10[FORM_COUNT];
};

/* clang-format off */
static const struct demo_rate demo_rates[] = {
	/*                excellent good fair weak poor */
	{"late",        { 3,  8, 15, 22, 30}},
	{"unreplied",   { 2,  4,  8, 14, 20}},
	{"curt",        { 6, 18, 35, 50, 60}},
	{"mistake",     { 2,  7, 14, 20, 25}},
	{"offpost",     { 0,  1,  3,  6, 10}},
	{"overpromise", { 0,  0,  1,  2,  4}},
	{"shirk",       { 0,  2,  5, 10, 15}},
	{"unchased",    { 2,  6, 10, 14, 18}},
	{"complaint",   { 0,  0,  1,  3,  5}},
	{"praise",      {45, 20,  8,  4,  2}},
	{"extra",       {12,  6,  3,  1,  0}},
	{"cover",       { 6,  3,  1,  1,  0}},
};
/* clang-format on */

/* The ordinary events steering may add (late: 8 minutes). */
static const char *const steer_keys[] = {
    "praise", "extra",     "cover",   "curt",        "mistake",
    "late",   "unreplied", "offpost", "overpromise", "shirk",
};

/* ---- the plan ---- */
DEMO_PRINTF(3, 4)
void demo_set_message(char *buf, size_t size, const char *fmt, ...)
{
	if (!buf || size == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* ---- names ---- */

static void trim_span(const char **start, const char **end)
{
	while (*start < *end &&
	       (**start == ' ' || **start == '\t' || **start == '\r'))
		(*start)++;
	while (*end > *start &&
	       ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
		(*end)--;
}

/* Reads the embedded list: one name a line, an optional handle after a tab,
 * '#' comments and blank lines skipped; names that are not UTF-8 or too long
 * are skipped too (the list is ours; a bad line must not stop the demo). */
enum kd_status demo_names_parse(const char *text, size_t len,
                                struct demo_name **out, size_t *count)
{
	size_t cap = 0, n = 0;
	struct demo_name *names = NULL;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *tab = memchr(p, '\t', (size_t)(eol - p));
		const char *name_start = p, *name_end = tab ? tab : eol;
		const char *handle_start = tab ? tab + 1 : eol;
		const char *handle_end = eol;
		p = eol < end ? eol + 1 : end;
		trim_span(&name_start, &name_end);
		trim_span(&handle_start, &handle_end);
		size_t name_len = (size_t)(name_end - name_start);
		size_t handle_len = (size_t)(handle_end - handle_start);
		if (name_len == 0 || *name_start == '#' ||
		    name_len >= DEMO_NAME_MAX ||
		    handle_len >= DEMO_HANDLE_MAX ||
		    !text_is_utf8(name_start, name_len) ||
		    !text_is_utf8(handle_start, handle_len))
			continue;
		if (n == cap) {
			size_t new_cap = cap ? cap * 2 : 64;
			struct demo_name *grown =
			    realloc(names, new_cap * sizeof(*names));
			if (!grown) {
				free(names);
				return KD_ERR_NOMEM;
			}
			names = grown;
			cap = new_cap;
		}
		memcpy(names[n].name, name_start, name_len);
		names[n].name[name_len] = '\0';
		memcpy(names[n].handle, handle_start, handle_len);
		names[n].handle[handle_len] = '\0';
		n++;
	}
	*out = names;
	*count = n;
	return KD_OK;
}

/* ---- dates ---- */

static kd_date max_date(kd_date a, kd_date b)
{
	return a > b ? a : b;
}

static kd_date min_date(kd_date a, kd_date b)
{
	return a < b ? a : b;
}

static bool is_rest_day(const struct demo_agent *agent, kd_date date)
{
	int weekday = date_weekday(date);
	return weekday == agent->rest_day ||
	       weekday == (agent->rest_day + 1) % 7;
}

/* A day in the slot: a working day, or with `rest` a day off (covering a
 * colleague's shift), if a few draws find one. */
static kd_date slot_day(struct demo_plan *plan, const struct demo_agent *agent,
                        const struct demo_slot *slot, bool rest)
{
	kd_date day = slot->first;
	for (int attempt = 0; attempt < 8; attempt++) {
		day = demo_rng_range(&plan->rng, slot->first, slot->last);
		if (is_rest_day(agent, day) == rest)
			break;
	}
	return day;
}

/* ---- notes ---- */

/* A Taobao-like order number: the date and eight digits. */
static void order_number(struct demo_plan *plan, kd_date date, char *buf,
                         size_t size)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	snprintf(buf, size, "%04d%02d%02d%08d", y, m, d,
	         (int)demo_rng_range(&plan->rng, 0, 99999999));
}

#define PICK(plan, list)                                                       \
	((list)[demo_rng_range(&(plan)->rng, 0,                                \
	                       (int32_t)(sizeof(list) / sizeof((list)[0])) -   \
	                           1)])

/* A note for the event, always one for note = required categories. */
static void compose_note(struct demo_plan *plan, size_t agent_index,
                         const struct rb_category *cat, kd_date date,
                         char *note, size_t size)
{
	static const char *const complaint_reasons[] = {
	    "回复敷衍",       "语气生硬", "答非所问",
	    "催促后仍未回复", "推卸责任", "未按承诺时间处理退款",
	};
	static const char *const mistake_notes[] = {
	    "忘记备注赠品", "修改地址未备注", "发票信息未备注",
	    "漏发优惠券",   "备注颜色写错",
	};
	static const char *const extra_notes[] = {
	    "下班后处理售后退款",
	    "大促前整理快捷短语",
	    "休息日回复积压留言",
	};
	char order[24];
	note[0] = '\0';
	order_number(plan, date, order, sizeof order);
	const char *key = cat->key;
	if (strcmp(key, "complaint") == 0) {
		snprintf(note, size, "订单 %s 买家投诉%s,聊天记录已核实", order,
		         PICK(plan, complaint_reasons));
	} else if (strcmp(key, "quarrel") == 0) {
		snprintf(note, size,
		         "订单 %s 与买家在旺旺上发生争执,已致电买家道歉",
		         order);
	} else if (strcmp(key, "absent") == 0) {
		snprintf(note, size, "未请假,电话联系不上");
	} else if (strcmp(key, "mistake") == 0) {
		if (rng_permille(&plan->rng, 700))
			snprintf(note, size, "订单 %s %s", order,
			         PICK(plan, mistake_notes));
	} else if (strcmp(key, "praise") == 0) {
		if (rng_permille(&plan->rng, 600))
			snprintf(note, size, "订单 %s 买家评价点名表扬", order);
	} else if (strcmp(key, "cover") == 0) {
		size_t other =
		    (agent_index + 1 +
		     (size_t)demo_rng_range(&plan->rng, 0,
		                            (int32_t)plan->agent_count - 2)) %
		    plan->agent_count;
		snprintf(note, size, "顶替%s晚班",
		         plan->agents[other].name->name);
	} else if (strcmp(key, "extra") == 0) {
		snprintf(note, size, "%s", PICK(plan, extra_notes));
	} else if (strcmp(key, "offpost") == 0) {
		snprintf(note, size, "离岗 %d 分钟未报备",
		         (int)demo_rng_range(&plan->rng, 15, 40));
	} else if (strcmp(key, "overpromise") == 0) {
		snprintf(note, size, "订单 %s 承诺买家次日送达", order);
	} else if (strcmp(key, "unchased") == 0) {
		snprintf(note, size, "抽查:拍下 1 小时未催付");
	} else if (strcmp(key, "unreplied") == 0) {
		if (rng_permille(&plan->rng, 300))
			snprintf(note, size, "订单 %s 咨询超过30秒未回复",
			         order);
	}
	if (cat->note_required && note[0] == '\0')
		snprintf(note, size, "订单 %s", order);
}

/* Minutes of a late arrival: mostly a few, sometimes half an hour, rarely
 * most of an hour. */
static int32_t late_minutes(struct demo_plan *plan)
{
	int32_t draw = demo_rng_range(&plan->rng, 0, 99);
	if (draw < 80)
		return demo_rng_range(&plan->rng, 1, 15);
	if (draw < 95)
		return demo_rng_range(&plan->rng, 16, 30);
	return demo_rng_range(&plan->rng, 31, 60);
}

/* ---- slots ---- */

static enum kd_status slot_push(struct demo_slot *slot,
                                const struct demo_event *event)
{
	if (slot->count == slot->cap) {
		size_t new_cap = slot->cap ? slot->cap * 2 : 32;
		struct demo_event *grown =
		    realloc(slot->events, new_cap * sizeof(*grown));
		if (!grown)
			return KD_ERR_NOMEM;
		slot->events = grown;
		slot->cap = new_cap;
	}
	slot->events[slot->count++] = *event;
	return KD_OK;
}

/* Fills *event with one occurrence of category `cat` in the slot (quantity
 * 1, or the minutes for a minutes category; `minutes` <= 0 draws them). */
static void make_event(struct demo_plan *plan, size_t agent_index,
                       const struct demo_slot *slot, int cat, int32_t minutes,
                       bool fixed, struct demo_event *event)
{
	const struct rb_category *category = &plan->rb->categories[cat];
	const struct demo_agent *agent = &plan->agents[agent_index];
	memset(event, 0, sizeof(*event));
	bool cover = strcmp(category->key, "cover") == 0;
	event->date = slot_day(plan, agent, slot, cover);
	event->seq = plan->next_seq++;
	event->category = cat;
	event->fixed = fixed;
	if (category->unit == RB_UNIT_MINUTES) {
		event->quantity = minutes > 0 ? minutes : late_minutes(plan);
	} else {
		event->quantity = 1;
		if (strcmp(category->key, "curt") == 0 &&
		    rng_permille(&plan->rng, 150))
			event->quantity = 2;
	}
	compose_note(plan, agent_index, category, event->date, event->note,
	             sizeof event->note);
}

static enum kd_status add_events(struct demo_plan *plan, size_t agent_index,
                                 struct demo_slot *slot, const char *key,
                                 int count, bool fixed)
{
	int cat = rulebook_category_index(plan->rb, key);
	if (cat < 0)
		return KD_OK;
	for (int i = 0; i < count; i++) {
		struct demo_event event;
		make_event(plan, agent_index, slot, cat, 0, fixed, &event);
		enum kd_status status = slot_push(slot, &event);
		if (status != KD_OK)
			return status;
	}
	return KD_OK;
}

/* The month's ordinary events at the rates of its form, scaled to the days
 * the agent can have events in it. */
static enum kd_status slot_fill(struct demo_plan *plan, size_t agent_index,
                                struct demo_slot *slot, kd_month month)
{
	enum demo_form form = target_form(slot->target);
	int32_t days = slot->last - slot->first + 1;
	int32_t month_days = month_last_day(month) - month_first_day(month) + 1;
	for (size_t i = 0; i < sizeof(demo_rates) / sizeof(demo_rates[0]);
	     i++) {
		int32_t expected_x10 =
		    demo_rates[i].per_month_x10[form] * days / month_days;
		int count = (int)(expected_x10 / 10);
		if (demo_rng_range(&plan->rng, 0, 9) < expected_x10 % 10)
			count++;
		bool fixed = strcmp(demo_rates[i].key, "complaint") == 0;
		enum kd_status status = add_events(
		    plan, agent_index, slot, demo_rates[i].key, count, fixed);
		if (status != KD_OK)
			return status;
	}
	return KD_OK;
}

static int count_category(const struct demo_slot *slot, int cat)
{
	int n = 0;
	for (size_t i = 0; i < slot->count; i++)
		if (slot->events[i].category == cat && !slot->events[i].voided)
			n += slot->events[i].quantity;
	return n;
}

/* The profile's story for the month `back` months before the current one. */
static enum kd_status slot_story(struct demo_plan *plan, size_t agent_index,
                                 struct demo_slot *slot, int back)
{
	const struct rulebook *rb = plan->rb;
	enum demo_profile profile = plan->agents[agent_index].profile;
	int complaint = rulebook_category_index(rb, "complaint");
	int want_complaints = 0;
	enum kd_status status = KD_OK;

	if (profile == PROFILE_STRUGGLER && back == 0 && complaint >= 0) {
		/* Enough verified complaints to reach dismiss_at. */
		int dismiss_at = rb->categories[complaint].dismiss_at;
		want_complaints =
		    dismiss_at > 0 && dismiss_at <= 5 ? dismiss_at : 3;
	} else if (profile == PROFILE_STRUGGLER && back == 1) {
		want_complaints = 1;
		status =
		    add_events(plan, agent_index, slot, "quarrel", 1, true);
	} else if (profile == PROFILE_SLIPPING && back == 0) {
		want_complaints = 1;
	} else if (profile == PROFILE_LEAVER && back == 2) {
		status = add_events(plan, agent_index, slot, "absent", 1, true);
	}
	if (status != KD_OK || complaint < 0)
		return status;
	int missing = want_complaints - count_category(slot, complaint);
	if (missing > 0)
		status = add_events(plan, agent_index, slot, "complaint",
		                    missing, true);
	return status;
}

/* ---- steering ---- */

static int compare_score_events(const void *a, const void *b)
{
	const struct score_event *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* The agent's score for the slot's month with event `skip` left out
 * (SIZE_MAX for none) and `extra` added (NULL for none). `buf` has room for
 * slot->count + 1 events. */
static enum kd_status slot_score(const struct demo_plan *plan,
                                 const struct demo_agent *agent,
                                 const struct demo_slot *slot, kd_month month,
                                 size_t skip, const struct demo_event *extra,
                                 struct score_event *buf, int64_t *score_cp)
{
	size_t n = 0;
	for (size_t i = 0; i <= slot->count; i++) {
		const struct demo_event *event;
		if (i < slot->count)
			event = i == skip ? NULL : &slot->events[i];
		else
			event = extra;
		if (!event)
			continue;
		buf[n] = (struct score_event){
		    .id = (int64_t)event->seq + 1,
		    .agent_id = 1,
		    .date = event->date,
		    .category = plan->rb->categories[event->category].key,
		    .quantity = event->quantity,
		    .voided = event->voided,
		};
		n++;
	}
	qsort(buf, n, sizeof(*buf), compare_score_events);

	struct score_agent scored = agent->score;
	scored.id = 1;
	struct score_input input = {
	    .month = month,
	    .agent_count = 1,
	    .agents = &scored,
	    .event_count = n,
	    .events = buf,
	    .has_earliest_month = true,
	    .earliest_month = month,
	};
	struct score_month_result *result = NULL;
	enum kd_status status = score_month(plan->rb, &input, &result);
	if (status != KD_OK)
		return status;
	*score_cp = result->agent_count > 0 ? result->agents[0].score_cp
	                                    : plan->rb->base_cp;
	score_month_result_destroy(result);
	return KD_OK;
}

static int64_t range_distance(int64_t score, int64_t lo, int64_t hi)
{
	return score < lo ? lo - score : score > hi ? score - hi : 0;
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* Moves the slot's score into its target range: at each step, of every
 * possible move (drop the latest ordinary event of a category, or add one
 * ordinary event) the one that lands closest to the range, then nearest its
 * middle. Stops in the range, when no move helps, or after a bound. */
static enum kd_status slot_steer(struct demo_plan *plan, size_t agent_index,
                                 struct demo_slot *slot, kd_month month)
{
	const struct rulebook *rb = plan->rb;
	const struct demo_agent *agent = &plan->agents[agent_index];
	int64_t lo = target_range[slot->target][0];
	int64_t hi = target_range[slot->target][1];
	int64_t mid = (lo + hi) / 2;
	enum kd_status status = KD_OK;
	size_t key_count = sizeof(steer_keys) / sizeof(steer_keys[0]);
	size_t cat_count = rb->category_count;
	/* buf: the events of one trial scoring; latest: for each category,
	 * the ordinary event a drop would remove. */
	struct score_event *buf = NULL;
	size_t buf_cap = 0;
	size_t *latest = malloc((cat_count ? cat_count : 1) * sizeof(*latest));
	if (!latest)
		return KD_ERR_NOMEM;

	for (int step = 0; step < DEMO_STEER_STEPS; step++) {
		if (buf_cap < slot->count + 1) {
			size_t new_cap = slot->count + 16;
			struct score_event *grown =
			    realloc(buf, new_cap * sizeof(*grown));
			if (!grown) {
				status = KD_ERR_NOMEM;
				goto cleanup;
			}
			buf = grown;
			buf_cap = new_cap;
		}
		int64_t score;
		status = slot_score(plan, agent, slot, month, SIZE_MAX, NULL,
		                    buf, &score);
		if (status != KD_OK)
			goto cleanup;
		int64_t distance = range_distance(score, lo, hi);
		if (distance == 0)
			break;

		/* Candidate drops: the latest ordinary event of each
		 * category. */
		for (size_t c = 0; c < cat_count; c++)
			latest[c] = SIZE_MAX;
		for (size_t i = 0; i < slot->count; i++) {
			const struct demo_event *event = &slot->events[i];
			if (event->fixed || event->voided)
				continue;
			size_t c = (size_t)event->category;
			if (latest[c] == SIZE_MAX ||
			    slot->events[latest[c]].seq < event->seq)
				latest[c] = i;
		}

		int64_t best_distance = distance, best_off = INT64_MAX;
		size_t best_drop = SIZE_MAX;
		int best_add = -1;
		for (size_t c = 0; c < cat_count; c++) {
			if (latest[c] == SIZE_MAX)
				continue;
			int64_t trial;
			status = slot_score(plan, agent, slot, month, latest[c],
			                    NULL, buf, &trial);
			if (status != KD_OK)
				goto cleanup;
			int64_t d = range_distance(trial, lo, hi);
			int64_t off = abs64(trial - mid);
			if (d < best_distance ||
			    (d == best_distance && d < distance &&
			     off < best_off)) {
				best_distance = d;
				best_off = off;
				best_drop = latest[c];
				best_add = -1;
			}
		}
		struct demo_event
		    candidates[sizeof(steer_keys) / sizeof(steer_keys[0])];
		for (size_t k = 0; k < key_count; k++) {
			int cat = rulebook_category_index(rb, steer_keys[k]);
			if (cat < 0)
				continue;
			make_event(plan, agent_index, slot, cat, 8, false,
			           &candidates[k]);
			int64_t trial;
			status = slot_score(plan, agent, slot, month, SIZE_MAX,
			                    &candidates[k], buf, &trial);
			if (status != KD_OK)
				goto cleanup;
			int64_t d = range_distance(trial, lo, hi);
			int64_t off = abs64(trial - mid);
			if (d < best_distance ||
			    (d == best_distance && d < distance &&
			     off < best_off)) {
				best_distance = d;
				best_off = off;
				best_drop = SIZE_MAX;
				best_add = (int)k;
			}
		}
		if (best_distance >= distance)
			break; /* no move helps: leave it where it is */
		if (best_add >= 0) {
			status = slot_push(slot, &candidates[best_add]);
			if (status != KD_OK)
				goto cleanup;
		} else {
			slot->events[best_drop] = slot->events[slot->count - 1];
			slot->count--;
		}
	}

cleanup:
	free(buf);
	free(latest);
	return status;
}

/* A duplicate of one of the slot's deductions, voided as a typing error;
 * *made is false when the slot has no deduction to copy. */
static enum kd_status slot_typo(struct demo_plan *plan, struct demo_slot *slot,
                                bool *made)
{
	size_t candidates = 0;
	*made = false;
	for (size_t i = 0; i < slot->count; i++) {
		const struct demo_event *event = &slot->events[i];
		if (!event->voided &&
		    plan->rb->categories[event->category].kind == RB_DEDUCTION)
			candidates++;
	}
	if (candidates == 0)
		return KD_OK;
	size_t pick =
	    (size_t)demo_rng_range(&plan->rng, 0, (int32_t)candidates - 1);
	for (size_t i = 0; i < slot->count; i++) {
		const struct demo_event *event = &slot->events[i];
		if (event->voided ||
		    plan->rb->categories[event->category].kind != RB_DEDUCTION)
			continue;
		if (pick-- > 0)
			continue;
		struct demo_event copy = *event;
		copy.seq = plan->next_seq++;
		copy.voided = true;
		copy.fixed = true;
		*made = true;
		return slot_push(slot, &copy);
	}
	return KD_OK;
}

/* ---- agents ---- */

static int clamp_tier(const struct rulebook *rb, int tier)
{
	int top = (int)rb->tier_count - 1;
	return tier < 0 ? 0 : tier > top ? top : tier;
}

static enum demo_profile profile_for(size_t index)
{
	size_t core = sizeof(core_profiles) / sizeof(core_profiles[0]);
	if (index < core)
		return core_profiles[index];
	size_t fillers = sizeof(filler_profiles) / sizeof(filler_profiles[0]);
	return filler_profiles[(index - core) % fillers];
}

/* Hire date, leave date and tier history of agent `index`. */
static void agent_plan(struct demo_plan *plan, size_t index,
                       const struct demo_name *name)
{
	const struct rulebook *rb = plan->rb;
	struct demo_agent *agent = &plan->agents[index];
	kd_month current = date_month(plan->today);
	enum demo_profile profile = profile_for(index);
	const struct demo_profile_info *info = &profile_info[profile];

	agent->name = name;
	agent->profile = profile;
	agent->role = index % 5 == 4 ? "aftersales" : "presales";
	agent->rest_day = demo_rng_range(&plan->rng, 0, 6);
	agent->left = KD_DATE_NONE;
	if (profile == PROFILE_NEWCOMER) {
		/* Early last month: the second month of employment now. */
		agent->hired = month_first_day(current - 1) +
		               demo_rng_range(&plan->rng, 0, 12);
	} else {
		agent->hired =
		    plan->today - demo_rng_range(&plan->rng, info->hired_min,
		                                 info->hired_max);
	}
	if (profile == PROFILE_LEAVER)
		agent->left = month_first_day(current - 1) +
		              demo_rng_range(&plan->rng, 6, 20);

	int tier = info->tier;
	if (profile == PROFILE_GOOD || profile == PROFILE_FAIR ||
	    profile == PROFILE_ACE)
		tier += demo_rng_range(&plan->rng, 0, 1);
	kd_month hired_month = date_month(agent->hired);
	kd_month promoted = current - info->promoted_back;
	if (info->promoted_back > plan->months - 1 && profile == PROFILE_SOLID)
		promoted = current - (plan->months - 1);
	agent->tier_count = 1;
	if (info->tier_before >= 0 && promoted > hired_month &&
	    clamp_tier(rb, info->tier_before) != clamp_tier(rb, tier)) {
		agent->tiers[0] = (struct score_tier_span){
		    .since = hired_month,
		    .tier_key =
		        rb->tiers[clamp_tier(rb, info->tier_before)].key,
		};
		agent->tiers[1] = (struct score_tier_span){
		    .since = promoted,
		    .tier_key = rb->tiers[clamp_tier(rb, tier)].key,
		};
		agent->tier_count = 2;
	} else {
		agent->tiers[0] = (struct score_tier_span){
		    .since = hired_month,
		    .tier_key = rb->tiers[clamp_tier(rb, tier)].key,
		};
	}
	agent->score = (struct score_agent){
	    .id = 1,
	    .name = name->name,
	    .handle = name->handle[0] ? name->handle : NULL,
	    .hired = agent->hired,
	    .left = agent->left,
	    .tier_count = agent->tier_count,
	    .tiers = agent->tiers,
	};
}

static enum kd_status plan_agent_months(struct demo_plan *plan, size_t index)
{
	struct demo_agent *agent = &plan->agents[index];
	kd_month current = date_month(plan->today);
	agent->slots = calloc((size_t)plan->months, sizeof(*agent->slots));
	if (!agent->slots)
		return KD_ERR_NOMEM;
	for (int m = 0; m < plan->months; m++) {
		kd_month month = plan->first_month + m;
		int back = (int)(current - month);
		struct demo_slot *slot = &agent->slots[m];
		slot->first = max_date(month_first_day(month), agent->hired);
		slot->last = min_date(
		    min_date(month_last_day(month), plan->today), agent->left);
		slot->target = profile_target(agent->profile, back);
		slot->active =
		    slot->first <= slot->last && slot->target != TARGET_NONE;
		if (!slot->active)
			continue;
		enum kd_status status = slot_fill(plan, index, slot, month);
		if (status == KD_OK)
			status = slot_story(plan, index, slot, back);
		if (status == KD_OK)
			status = slot_steer(plan, index, slot, month);
		if (status != KD_OK)
			return status;
	}
	return KD_OK;
}

void demo_plan_finish(struct demo_plan *plan)
{
	if (!plan->agents)
		return;
	for (size_t a = 0; a < plan->agent_count; a++) {
		struct demo_agent *agent = &plan->agents[a];
		if (!agent->slots)
			continue;
		for (int m = 0; m < plan->months; m++)
			free(agent->slots[m].events);
		free(agent->slots);
	}
	free(plan->agents);
	plan->agents = NULL;
}

void demo_options_init(struct demo_options *opt)
{
	opt->agents = DEMO_AGENTS_DEFAULT;
	opt->months = DEMO_MONTHS_DEFAULT;
	opt->seed = 1;
}

enum kd_status demo_plan_build(struct demo_plan *plan,
                               const struct demo_name *names, size_t name_count)
{
	/* Names shuffled (Fisher-Yates over indexes), the first N taken. */
	size_t *order = malloc(name_count * sizeof(*order));
	if (!order)
		return KD_ERR_NOMEM;
	for (size_t i = 0; i < name_count; i++)
		order[i] = i;
	for (size_t i = name_count - 1; i > 0; i--) {
		size_t j = (size_t)demo_rng_range(&plan->rng, 0, (int32_t)i);
		size_t tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (size_t i = 0; i < plan->agent_count; i++)
		agent_plan(plan, i, &names[order[i]]);
	free(order);

	for (size_t i = 0; i < plan->agent_count; i++) {
		enum kd_status status = plan_agent_months(plan, i);
		if (status != KD_OK)
			return status;
	}
	/* One or two entries a month made twice by mistake and voided. */
	for (int m = 0; m < plan->months; m++) {
		int typos = demo_rng_range(&plan->rng, 1, 2);
		/* A few draws find an agent with a deduction that month. */
		for (int draw = 0; typos > 0 && draw < 16; draw++) {
			size_t a = (size_t)demo_rng_range(
			    &plan->rng, 0, (int32_t)plan->agent_count - 1);
			struct demo_slot *slot = &plan->agents[a].slots[m];
			bool made = false;
			if (!slot->active)
				continue;
			enum kd_status status = slot_typo(plan, slot, &made);
			if (status != KD_OK)
				return status;
			if (made)
				typos--;
		}
	}
	return KD_OK;
}
