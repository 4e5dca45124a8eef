/* Unit tests for the rulebook loader (src/config/); the rulebook's own
 * lookups (src/core/rulebook.c) are in check-rulebook.c.
 *
 * The shipped rulebooks are checked value by value; every class of error
 * is checked with its exact message, line number included. Most error
 * cases are tests/data/config/minimal.ini (40 lines) with one line changed
 * or a few lines appended, so appended lines start at line 41.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpidesk/config.h"
#include "kpidesk/rulebook.h"
#include "testutil.h"

#define FIXTURES    KPIDESK_TEST_DATA "/config"
#define DEFAULT_INI KPIDESK_CONFIG_DIR "/kpidesk.ini"
#define KPI_INI     KPIDESK_CONFIG_DIR "/presales-kpi.ini"
#define NAME        "test.ini"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* minimal.ini with its first `from` replaced by `to` (from NULL: as is)
 * and `tail` appended. */
static char *variant(const char *from, const char *to, const char *tail)
{
	char *base = tu_read_file(FIXTURES "/minimal.ini", NULL);
	char *text = tu_replace(base, from, to, tail);
	free(base);
	return text;
}

/* Loads text that must fail and compares every message, in order.
 * `expected` ends with NULL. */
static void expect_errors_in(const char *text, size_t len,
                             const char *const *expected)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	enum kd_status status = config_load_text(NAME, text, len, &rb, &errors);
	size_t want = 0;
	while (expected[want])
		want++;
	/* On any difference, show everything that came out. */
	bool same = errors.count == want;
	for (size_t i = 0; same && i < want; i++)
		same = strcmp(errors.messages[i], expected[i]) == 0;
	for (size_t i = 0; !same && i < errors.count; i++)
		fprintf(stderr, "  got: %s\n", errors.messages[i]);
	ck_assert_int_eq(status, KD_ERR_CONFIG);
	ck_assert_ptr_null(rb);
	for (size_t i = 0; i < errors.count && i < want; i++)
		ck_assert_str_eq(errors.messages[i], expected[i]);
	ck_assert_uint_eq(errors.count, want);
	config_errors_finish(&errors);
}

#define EXPECT_ERRORS(text, ...)                                               \
	expect_errors_in((text), strlen(text),                                 \
	                 (const char *const[]){__VA_ARGS__, NULL})

/* The same for minimal.ini changed by variant(). */
#define EXPECT_VARIANT(from, to, tail, ...)                                    \
	do {                                                                   \
		char *text_ = variant((from), (to), (tail));                   \
		EXPECT_ERRORS(text_, __VA_ARGS__);                             \
		free(text_);                                                   \
	} while (0)

/* Loads text that must succeed. */
static struct rulebook *load_ok(const char *text)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	enum kd_status status =
	    config_load_text(NAME, text, strlen(text), &rb, &errors);
	for (size_t i = 0; i < errors.count; i++)
		fprintf(stderr, "  unexpected: %s\n", errors.messages[i]);
	ck_assert_int_eq(status, KD_OK);
	ck_assert_uint_eq(errors.count, 0);
	ck_assert_ptr_nonnull(rb);
	config_errors_finish(&errors);
	return rb;
}

static struct rulebook *load_file_ok(const char *path)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	enum kd_status status = config_load_file(path, &rb, &errors);
	for (size_t i = 0; i < errors.count; i++)
		fprintf(stderr, "  unexpected: %s\n", errors.messages[i]);
	ck_assert_int_eq(status, KD_OK);
	ck_assert_uint_eq(errors.count, 0);
	ck_assert_ptr_nonnull(rb);
	return rb;
}

static void assert_band(const struct band *b, enum band_op op,
                        int64_t threshold_h, int64_t result_h)
{
	ck_assert_int_eq(b->op, op);
	if (op != BAND_ELSE)
		ck_assert_int_eq(b->threshold_h, threshold_h);
	ck_assert_int_eq(b->result_h, result_h);
}

static void assert_word_band(const struct band *b, enum band_op op,
                             int64_t threshold_h, const char *word)
{
	ck_assert_int_eq(b->op, op);
	if (op != BAND_ELSE)
		ck_assert_int_eq(b->threshold_h, threshold_h);
	ck_assert_str_eq(b->result_word, word);
}

/* Checks one category's fields that every test of the default file
 * cares about. */
static const struct rb_category *
assert_category(const struct rulebook *rb, size_t index, const char *key,
                const char *label, char hotkey, enum rb_kind kind,
                int64_t points_cp, enum rb_severity severity)
{
	ck_assert_uint_lt(index, rb->category_count);
	const struct rb_category *cat = &rb->categories[index];
	ck_assert_str_eq(cat->key, key);
	ck_assert_str_eq(cat->label, label);
	ck_assert_int_eq(cat->hotkey, hotkey);
	ck_assert_int_eq(cat->kind, kind);
	ck_assert_int_eq(cat->points_cp, points_cp);
	ck_assert_int_eq(cat->severity, severity);
	return cat;
}

/* Defaults of the optional category keys. */
static void assert_category_defaults(const struct rb_category *cat)
{
	ck_assert_int_eq(cat->unit, RB_UNIT_COUNT);
	ck_assert(!cat->has_bands);
	ck_assert_int_eq(cat->free_count, 0);
	ck_assert_uint_eq(cat->escalate_count, 0);
	ck_assert(!cat->has_budget);
	ck_assert_int_eq(cat->zero_at, 0);
	ck_assert(!cat->attendance);
	ck_assert_int_eq(cat->fine_fen, 0);
	ck_assert_int_eq(cat->fine_growth_h, 100);
	ck_assert_int_eq(cat->dismiss_at, 0);
	ck_assert(!cat->note_required);
}

/* ------------------------------------------------------------------ */
/* The shipped rulebooks                                               */

START_TEST(default_rulebook_top_sections)
{
	struct rulebook *rb = load_file_ok(DEFAULT_INI);

	ck_assert_str_eq(rb->team_name, "售前客服组");
	ck_assert_int_eq(rb->mode, RB_MODE_FIXED);
	ck_assert_int_eq(rb->base_cp, 8000);
	ck_assert_int_eq(rb->min_cp, 0);
	ck_assert_int_eq(rb->max_cp, 11000);

	ck_assert_int_eq(rb->combo_light, 4);
	ck_assert_int_eq(rb->combo_medium, 2);
	ck_assert_int_eq(rb->combo_points_cp, -2000);

	ck_assert(rb->grades.words);
	ck_assert_uint_eq(rb->grades.count, 6);
	assert_word_band(&rb->grades.bands[0], BAND_GT, 9000, "A");
	assert_word_band(&rb->grades.bands[1], BAND_GE, 8000, "B");
	assert_word_band(&rb->grades.bands[2], BAND_GE, 7000, "C");
	assert_word_band(&rb->grades.bands[3], BAND_GE, 6500, "D");
	assert_word_band(&rb->grades.bands[4], BAND_GE, 6000, "E");
	assert_word_band(&rb->grades.bands[5], BAND_ELSE, 0, "F");

	ck_assert_int_eq(rb->pay_baseline_cp, 8000);
	ck_assert_int_eq(rb->pay_per_point_fen, 1000);
	ck_assert_int_eq(rb->pay_cap_fen, 30000);
	ck_assert_int_eq(rb->pay_from_month, 3);

	ck_assert_int_eq(rb->bonus_min_score_cp, 8000);
	ck_assert_int_eq(rb->bonus_pool_rate_ppm, 6000);
	ck_assert_uint_eq(rb->bonus_share_count, 2);
	ck_assert_int_eq(rb->bonus_shares_bp[0], 4000);
	ck_assert_int_eq(rb->bonus_shares_bp[1], 3000);
	ck_assert_uint_eq(rb->bonus_award_count, 2);
	ck_assert_int_eq(rb->bonus_awards_fen[0], 20000);
	ck_assert_int_eq(rb->bonus_awards_fen[1], 10000);
	ck_assert_int_eq(rb->bonus_rest_share_bp, 3000);

	ck_assert_uint_eq(rb->top_streak_count, 3);
	ck_assert_int_eq(rb->top_streak_fen[0], 5000);
	ck_assert_int_eq(rb->top_streak_fen[1], 10000);
	ck_assert_int_eq(rb->top_streak_fen[2], 20000);
	ck_assert_int_eq(rb->full_attendance_fen, 5000);

	ck_assert_uint_eq(rb->tier_count, 4);
	static const struct {
		const char *key, *label;
		int64_t score_cp;
		int32_t months, min_months;
	} tiers[] = {
	    {"junior", "初级客服", 8500, 3, 3},
	    {"intermediate", "中级客服", 9000, 3, 6},
	    {"senior", "高级客服", 9500, 3, 6},
	};
	for (size_t i = 0; i < 3; i++) {
		const struct rb_tier *t = &rb->tiers[i];
		ck_assert_str_eq(t->key, tiers[i].key);
		ck_assert_str_eq(t->label, tiers[i].label);
		ck_assert(t->can_promote);
		ck_assert_int_eq(t->promote_score_cp, tiers[i].score_cp);
		ck_assert_int_eq(t->promote_months, tiers[i].months);
		ck_assert_int_eq(t->min_months, tiers[i].min_months);
	}
	ck_assert_str_eq(rb->tiers[3].key, "expert");
	ck_assert_str_eq(rb->tiers[3].label, "资深客服");
	ck_assert(!rb->tiers[3].can_promote);
	ck_assert_int_eq(rb->demote_below_cp, 8000);
	ck_assert_int_eq(rb->demote_months, 2);

	ck_assert_int_eq(rb->dismiss_below_cp, 6000);
	ck_assert_int_eq(rb->last_place_below_cp, 7000);
	ck_assert_int_eq(rb->last_place_months, 2);

	ck_assert_uint_eq(rb->kpi_count, 0);
	ck_assert_ptr_null(rb->kpis);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(default_rulebook_categories)
{
	struct rulebook *rb = load_file_ok(DEFAULT_INI);
	const struct rb_category *cat;
	ck_assert_uint_eq(rb->category_count, 14);

	cat = assert_category(rb, 0, "late", "迟到/早退", 'l', RB_DEDUCTION, 0,
	                      RB_SEV_LIGHT);
	ck_assert_int_eq(cat->unit, RB_UNIT_MINUTES);
	ck_assert(cat->has_bands);
	ck_assert(!cat->bands.words);
	ck_assert_uint_eq(cat->bands.count, 3);
	assert_band(&cat->bands.bands[0], BAND_LE, 1500, -100);
	assert_band(&cat->bands.bands[1], BAND_LE, 3000, -200);
	assert_band(&cat->bands.bands[2], BAND_ELSE, 0, -500);
	ck_assert(cat->attendance);
	ck_assert_int_eq(cat->fine_fen, 0);
	ck_assert_int_eq(cat->fine_growth_h, 100);
	ck_assert(!cat->note_required);

	cat = assert_category(rb, 1, "absent", "旷工", 'A', RB_DEDUCTION, -2000,
	                      RB_SEV_SEVERE);
	ck_assert(cat->attendance);
	ck_assert_int_eq(cat->unit, RB_UNIT_COUNT);

	cat = assert_category(rb, 2, "unreplied", "未及时回复(30秒)", 'r',
	                      RB_DEDUCTION, -100, RB_SEV_LIGHT);
	ck_assert(cat->has_budget);
	ck_assert_int_eq(cat->budget_cp, 1000);
	ck_assert_int_eq(cat->zero_at, 2);
	ck_assert(!cat->attendance);

	cat = assert_category(rb, 3, "curt", "生硬/单字回复", 's', RB_DEDUCTION,
	                      -50, RB_SEV_LIGHT);
	assert_category_defaults(cat);
	cat = assert_category(rb, 4, "mistake", "工作失误", 'm', RB_DEDUCTION,
	                      -50, RB_SEV_LIGHT);
	assert_category_defaults(cat);

	cat = assert_category(rb, 5, "complaint", "服务态度投诉(已核实)", 'c',
	                      RB_DEDUCTION, -100, RB_SEV_NONE);
	ck_assert_uint_eq(cat->escalate_count, 2);
	ck_assert_int_eq(cat->escalate[0].count, 3);
	ck_assert_int_eq(cat->escalate[0].total_cp, -500);
	ck_assert_int_eq(cat->escalate[1].count, 5);
	ck_assert_int_eq(cat->escalate[1].total_cp, -1000);
	ck_assert_int_eq(cat->fine_fen, 3000);
	ck_assert_int_eq(cat->fine_growth_h, 200);
	ck_assert_int_eq(cat->dismiss_at, 3);
	ck_assert(cat->note_required);
	ck_assert_int_eq(cat->free_count, 0);
	ck_assert(!cat->has_budget);

	cat = assert_category(rb, 6, "quarrel", "与客户争吵", 'Q', RB_DEDUCTION,
	                      -2000, RB_SEV_SEVERE);
	ck_assert_int_eq(cat->dismiss_at, 1);
	ck_assert(cat->note_required);

	cat = assert_category(rb, 7, "offpost", "随意离岗", 'o', RB_DEDUCTION,
	                      -500, RB_SEV_MEDIUM);
	ck_assert(cat->has_budget);
	ck_assert_int_eq(cat->budget_cp, 1500);
	ck_assert_int_eq(cat->zero_at, 3);

	cat = assert_category(rb, 8, "overpromise", "过度承诺", 'w',
	                      RB_DEDUCTION, -1000, RB_SEV_MEDIUM);
	ck_assert(cat->has_budget);
	ck_assert_int_eq(cat->budget_cp, 1000);
	ck_assert_int_eq(cat->zero_at, 1);

	cat = assert_category(rb, 9, "shirk", "工作推诿", 't', RB_DEDUCTION,
	                      -300, RB_SEV_MEDIUM);
	ck_assert_int_eq(cat->free_count, 2);
	ck_assert_uint_eq(cat->escalate_count, 0);

	cat = assert_category(rb, 10, "unchased", "未及时催付", 'n',
	                      RB_DEDUCTION, 0, RB_SEV_NONE);
	ck_assert_int_eq(cat->fine_fen, 500);
	ck_assert_int_eq(cat->fine_growth_h, 100);

	cat = assert_category(rb, 11, "praise", "点名表扬", 'p', RB_BONUS, 200,
	                      RB_SEV_NONE);
	assert_category_defaults(cat);
	cat = assert_category(rb, 12, "extra", "主动加班", '+', RB_BONUS, 200,
	                      RB_SEV_NONE);
	assert_category_defaults(cat);
	cat = assert_category(rb, 13, "cover", "主动顶班", 'v', RB_BONUS, 500,
	                      RB_SEV_NONE);
	assert_category_defaults(cat);

	/* No shipped hotkey may be one the shift desk reserves. */
	for (size_t i = 0; i < rb->category_count; i++)
		ck_assert_ptr_null(
		    strchr(RB_RESERVED_HOTKEYS, rb->categories[i].hotkey));
	rulebook_destroy(rb);
}
END_TEST

START_TEST(default_rulebook_source)
{
	size_t len;
	char *text = tu_read_file(DEFAULT_INI, &len);
	struct rulebook *rb = load_file_ok(DEFAULT_INI);
	ck_assert_str_eq(rb->source_name, DEFAULT_INI);
	ck_assert_str_eq(rb->source_text, text);
	rulebook_destroy(rb);
	free(text);
}
END_TEST

START_TEST(builtin_is_the_default_file)
{
	size_t file_len, builtin_len = 0;
	char *file = tu_read_file(DEFAULT_INI, &file_len);
	const char *builtin = config_builtin_text(&builtin_len);
	ck_assert_uint_eq(builtin_len, file_len);
	ck_assert_mem_eq(builtin, file, file_len);
	ck_assert_int_eq(builtin[builtin_len], '\0');
	free(file);

	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	ck_assert_int_eq(
	    config_load_text("(built-in)", builtin, builtin_len, &rb, &errors),
	    KD_OK);
	ck_assert_uint_eq(errors.count, 0);
	ck_assert_str_eq(rb->source_name, "(built-in)");
	ck_assert_str_eq(rb->source_text, builtin);
	ck_assert_uint_eq(rb->category_count, 14);
	ck_assert_str_eq(rb->team_name, "售前客服组");
	rulebook_destroy(rb);
	ck_assert_ptr_nonnull(config_builtin_text(NULL));
}
END_TEST

START_TEST(kpi_profile)
{
	struct rulebook *rb = load_file_ok(KPI_INI);
	ck_assert_int_eq(rb->mode, RB_MODE_KPI);
	ck_assert_int_eq(rb->base_cp, 8000);
	ck_assert_str_eq(rb->team_name, "售前客服组");
	ck_assert_uint_eq(rb->category_count, 14);
	ck_assert_uint_eq(rb->tier_count, 4);

	static const struct {
		const char *key, *label;
		enum rb_metric metric;
		int32_t weight;
		size_t bands;
	} kpis[] = {
	    {"sales", "付款成交额", RB_METRIC_SALES_PCT, 45, 27},
	    {"conversion", "付款转化率", RB_METRIC_CONVERSION, 40, 51},
	    {"response", "平均响应时间", RB_METRIC_RESPONSE_S, 5, 4},
	    {"aov", "客单价", RB_METRIC_AOV_PCT, 5, 4},
	    {"reply", "回复率", RB_METRIC_REPLY_RATE, 5, 4},
	};
	ck_assert_uint_eq(rb->kpi_count, 5);
	int32_t total = 0;
	for (size_t i = 0; i < 5; i++) {
		const struct rb_kpi *k = &rb->kpis[i];
		ck_assert_str_eq(k->key, kpis[i].key);
		ck_assert_str_eq(k->label, kpis[i].label);
		ck_assert_int_eq(k->metric, kpis[i].metric);
		ck_assert_int_eq(k->weight, kpis[i].weight);
		ck_assert_uint_eq(k->bands.count, kpis[i].bands);
		total += k->weight;
	}
	ck_assert_int_eq(total, 100);

	/* sales_pct: >=100:100, >=98:98, ... every 2 ..., >=50:50, *:0 */
	const struct band_list *sales = &rb->kpis[0].bands;
	for (size_t i = 0; i < 26; i++) {
		int64_t v = (100 - 2 * (int64_t)i) * 100;
		assert_band(&sales->bands[i], BAND_GE, v, v);
	}
	assert_band(&sales->bands[26], BAND_ELSE, 0, 0);

	/* conversion: >=64:100, >=63:98, ... 1 point = 2 ..., >=15:2, *:0 */
	const struct band_list *conv = &rb->kpis[1].bands;
	for (size_t i = 0; i < 50; i++) {
		int64_t rate = 64 - (int64_t)i;
		assert_band(&conv->bands[i], BAND_GE, rate * 100,
		            (100 - 2 * (int64_t)i) * 100);
	}
	assert_band(&conv->bands[49], BAND_GE, 1500, 200);
	assert_band(&conv->bands[50], BAND_ELSE, 0, 0);

	const struct band_list *resp = &rb->kpis[2].bands;
	assert_band(&resp->bands[0], BAND_LE, 1500, 10000);
	assert_band(&resp->bands[1], BAND_LT, 2200, 8000);
	assert_band(&resp->bands[2], BAND_LT, 3000, 6000);
	assert_band(&resp->bands[3], BAND_ELSE, 0, 0);

	const struct band_list *aov = &rb->kpis[3].bands;
	assert_band(&aov->bands[0], BAND_GE, 10000, 10000);
	assert_band(&aov->bands[1], BAND_GE, 9000, 8000);
	assert_band(&aov->bands[2], BAND_GE, 8000, 6000);
	assert_band(&aov->bands[3], BAND_ELSE, 0, 0);

	const struct band_list *reply = &rb->kpis[4].bands;
	assert_band(&reply->bands[0], BAND_GE, 9800, 10000);
	assert_band(&reply->bands[1], BAND_GE, 9500, 8000);
	assert_band(&reply->bands[2], BAND_GE, 9000, 6000);
	assert_band(&reply->bands[3], BAND_ELSE, 0, 0);
	rulebook_destroy(rb);
}
END_TEST

/* The KPI profile is the default rulebook plus the KPI parts: the same
 * categories, tiers and money rules. */
START_TEST(kpi_profile_matches_default)
{
	struct rulebook *def = load_file_ok(DEFAULT_INI);
	struct rulebook *kpi = load_file_ok(KPI_INI);
	ck_assert_uint_eq(kpi->category_count, def->category_count);
	for (size_t i = 0; i < def->category_count; i++) {
		const struct rb_category *a = &def->categories[i];
		const struct rb_category *b = &kpi->categories[i];
		ck_assert_str_eq(a->key, b->key);
		ck_assert_str_eq(a->label, b->label);
		ck_assert_int_eq(a->hotkey, b->hotkey);
		ck_assert_int_eq(a->points_cp, b->points_cp);
		ck_assert_int_eq(a->fine_fen, b->fine_fen);
	}
	ck_assert_int_eq(kpi->pay_per_point_fen, def->pay_per_point_fen);
	ck_assert_int_eq(kpi->bonus_pool_rate_ppm, def->bonus_pool_rate_ppm);
	ck_assert_int_eq(kpi->dismiss_below_cp, def->dismiss_below_cp);
	rulebook_destroy(def);
	rulebook_destroy(kpi);
}
END_TEST

/* Every line of the shipped files fits iniparser's 1022-byte limit and
 * none ends in a backslash. */
START_TEST(shipped_lines_fit)
{
	const char *paths[] = {DEFAULT_INI, KPI_INI};
	for (size_t p = 0; p < 2; p++) {
		char *text = tu_read_file(paths[p], NULL);
		const char *line = text;
		while (*line) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			ck_assert_uint_le(len, 1022);
			if (len > 0)
				ck_assert_int_ne(line[len - 1], '\\');
			line += len + (end ? 1 : 0);
		}
		free(text);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Defaults and accepted forms                                         */

START_TEST(minimal_defaults)
{
	struct rulebook *rb = load_file_ok(FIXTURES "/minimal.ini");
	ck_assert_str_eq(rb->team_name, "测试组");
	ck_assert_int_eq(rb->mode, RB_MODE_FIXED);
	ck_assert_int_eq(rb->base_cp, 8000);
	ck_assert_int_eq(rb->min_cp, 0);
	ck_assert_int_eq(rb->max_cp, 11000);
	ck_assert_int_eq(rb->combo_light, 0);
	ck_assert_int_eq(rb->combo_medium, 0);
	ck_assert_int_eq(rb->combo_points_cp, 0);
	ck_assert_uint_eq(rb->top_streak_count, 1);
	ck_assert_int_eq(rb->top_streak_fen[0], 5000);
	ck_assert_uint_eq(rb->tier_count, 2);
	ck_assert_str_eq(rb->tiers[0].key, "junior");
	ck_assert_str_eq(rb->tiers[1].key, "senior");
	ck_assert_uint_eq(rb->category_count, 1);
	const struct rb_category *cat = assert_category(
	    rb, 0, "praise", "表扬", 'p', RB_BONUS, 200, RB_SEV_NONE);
	assert_category_defaults(cat);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(bom_is_accepted)
{
	struct rulebook *rb = load_file_ok(FIXTURES "/bom.ini");
	ck_assert_str_eq(rb->team_name, "测试组");
	/* The snapshot keeps the file as it was, mark included. */
	ck_assert_int_eq((unsigned char)rb->source_text[0], 0xEF);
	rulebook_destroy(rb);

	/* Line numbers are not shifted by the mark. */
	char *text = variant("[team]\nname = 测试组", "[team]\nname =", NULL);
	size_t len = strlen(text);
	char *with_bom = malloc(len + 4);
	ck_assert_ptr_nonnull(with_bom);
	memcpy(with_bom, "\xEF\xBB\xBF", 3);
	memcpy(with_bom + 3, text, len + 1);
	EXPECT_ERRORS(with_bom, "test.ini:4: [team] name: empty value");
	free(with_bom);
	free(text);
}
END_TEST

START_TEST(crlf_and_case)
{
	char *text =
	    variant("[category.praise]\nlabel",
	            "[Category.praise]\r\n"
	            "LABEL  ",
	            "[SCORE]\r\nMode = kpi\r\n[kpi.all]\r\nlabel = 全部\r\n"
	            "metric = reply_rate\r\nweight = 100\r\n"
	            "bands = *:100\r\n");
	struct rulebook *rb = load_ok(text);
	ck_assert_int_eq(rb->mode, RB_MODE_KPI);
	ck_assert_str_eq(rb->categories[0].key, "praise");
	ck_assert_str_eq(rb->categories[0].label, "表扬");
	ck_assert_uint_eq(rb->kpi_count, 1);
	rulebook_destroy(rb);
	free(text);
}
END_TEST

START_TEST(quoted_values)
{
	/* Quotes keep ';' and '#' (which otherwise start a comment) and
	 * inner spaces; an unquoted value is cut at ';'. */
	char *text = variant("name = 测试组", "name = \"售前 ; 一组\"",
	                     "[category.hash]\nlabel = 井号 ; comment\n"
	                     "hotkey = \"#\"\nkind = \" bonus \"\n"
	                     "points = 1\n"
	                     "[category.spaced]\nlabel = \"  顶班 \"\n"
	                     "hotkey = \"v\"\nkind = bonus\npoints = \" 5\"\n");
	struct rulebook *rb = load_ok(text);
	ck_assert_str_eq(rb->team_name, "售前 ; 一组");
	/* Spaces at the ends of a quoted value are trimmed. */
	ck_assert_int_eq(rb->categories[1].kind, RB_BONUS);
	ck_assert_str_eq(rb->categories[2].label, "顶班");
	ck_assert_int_eq(rb->categories[2].hotkey, 'v');
	ck_assert_int_eq(rb->categories[2].points_cp, 500);
	ck_assert_str_eq(rb->categories[1].label, "井号");
	ck_assert_int_eq(rb->categories[1].hotkey, '#');
	ck_assert_ptr_eq(rulebook_category_by_hotkey(rb, '#'),
	                 &rb->categories[1]);
	rulebook_destroy(rb);
	free(text);
}
END_TEST

START_TEST(numbers_are_decimal)
{
	/* "010" is ten, never octal (iniparser's getint would say 8). */
	char *text =
	    variant(NULL, NULL,
	            "[category.shirk]\nlabel = 推诿\nhotkey = t\n"
	            "kind = deduction\npoints = -03.50\nfree = 010\n"
	            "fine = 010\nfine_growth = 1.5\ndismiss_at = 08\n");
	struct rulebook *rb = load_ok(text);
	const struct rb_category *cat = rulebook_category(rb, "shirk");
	ck_assert_ptr_nonnull(cat);
	ck_assert_int_eq(cat->points_cp, -350);
	ck_assert_int_eq(cat->free_count, 10);
	ck_assert_int_eq(cat->fine_fen, 1000);
	ck_assert_int_eq(cat->fine_growth_h, 150);
	ck_assert_int_eq(cat->dismiss_at, 8);
	rulebook_destroy(rb);
	free(text);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Errors, one class at a time                                         */

START_TEST(error_unknown_section)
{
	EXPECT_VARIANT(
	    NULL, NULL, "[escalation]\nx = 1\n[reveiw]\n[categroy.late]\n",
	    "test.ini:41: [escalation]: unknown section; the "
	    "sections are [team], [score], [combo], [grades], [pay], "
	    "[bonus], [award], [tiers], [tier.KEY], [review], "
	    "[category.KEY], [kpi.KEY] and [import.kpi]",
	    "test.ini:43: [reveiw]: unknown section; did you mean "
	    "[review]?",
	    "test.ini:44: [categroy.late]: unknown section; did you "
	    "mean [category.late]?");
}
END_TEST

START_TEST(error_unknown_key)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.complaint]\nlabel = 投诉\nhotkey = c\n"
	    "kind = deduction\npoints = -1\nescalte = 3:-5, 5:-10\n"
	    "colour = red\n",
	    "test.ini:46: [category.complaint] escalte: unknown key; did "
	    "you mean escalate?",
	    "test.ini:47: [category.complaint] colour: unknown key; the "
	    "keys of this section are: label, hotkey, kind, unit, points, "
	    "bands, free, escalate, budget, zero_at, severity, attendance, "
	    "fine, fine_growth, dismiss_at, note, short");
	EXPECT_VARIANT("min_score = 80", "min_score = 80\nminscore = 70", NULL,
	               "test.ini:14: [bonus] minscore: unknown key; did you "
	               "mean min_score?");
}
END_TEST

START_TEST(error_bad_band_lists)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.late]\nlabel = 迟到\nhotkey = l\nkind = deduction\n"
	    "unit = minutes\nbands = <=15:-1, <=30:-2\n"
	    "[category.late2]\nlabel = 迟到2\nhotkey = L\n"
	    "kind = deduction\nunit = minutes\n"
	    "bands = <=15:-1, =30:-2, *:-5\n"
	    "[category.late3]\nlabel = 迟到3\nhotkey = b\n"
	    "kind = deduction\nunit = minutes\nbands = <=15:-1, , *:-5\n"
	    "[category.late4]\nlabel = 迟到4\nhotkey = d\n"
	    "kind = deduction\nunit = minutes\n"
	    "bands = <=15:-1, <=30:2, *:-5\n",
	    "test.ini:46: [category.late] bands: entry 2 \"<=30:-2\": the "
	    "list must end with '*:RESULT' (otherwise)",
	    "test.ini:52: [category.late2] bands: entry 2 \"=30:-2\": "
	    "expected >, >=, <, <= or * at the start",
	    "test.ini:58: [category.late3] bands: entry 2: empty entry",
	    "test.ini:64: [category.late4] bands: entry 2 \"<=30:2\": the "
	    "points must be <= 0 in a deduction category");
	/* Grades are words. */
	EXPECT_VARIANT("bands = >=60:P, *:F", "bands = >=60:P, *:3.5.1", NULL,
	               "test.ini:6: [grades] bands: entry 2 \"*:3.5.1\": the "
	               "result must be a word (letters, digits, _ + -, "
	               "Chinese)");
}
END_TEST

START_TEST(error_bands_and_unit)
{
	EXPECT_VARIANT(NULL, NULL,
	               "[category.late]\nlabel = 迟到\nhotkey = l\n"
	               "kind = deduction\nbands = <=15:-1, *:-5\n"
	               "[category.late2]\nlabel = 迟到2\nhotkey = L\n"
	               "kind = deduction\nunit = minutes\n"
	               "[category.late3]\nlabel = 迟到3\nhotkey = f\n"
	               "kind = deduction\nunit = minutes\npoints = -1\n"
	               "bands = *:-1\n",
	               "test.ini:45: [category.late] bands: bands needs unit = "
	               "minutes (a count category has fixed points)",
	               "test.ini:46: [category.late2] points: required key is "
	               "missing (or give bands, from minutes to points)",
	               "test.ini:56: [category.late3] points: give points or "
	               "bands, not both");
}
END_TEST

START_TEST(error_hotkeys)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.a1]\nlabel = a\nhotkey = q\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a2]\nlabel = a\nhotkey = p\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a3]\nlabel = a\nhotkey = ab\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a4]\nlabel = a\nhotkey = \" \"\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a5]\nlabel = a\nhotkey = #\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a6]\nlabel = a\nhotkey = 迟\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a7]\nlabel = a\nkind = bonus\npoints = 1\n"
	    "[category.a8]\nlabel = a\nhotkey = R\nkind = bonus\n"
	    "points = 1\n"
	    "[category.a9]\nlabel = a\nhotkey = 3\nkind = bonus\n"
	    "points = 1\n"
	    "[category.b1]\nlabel = 售前#1组\nhotkey = z\nkind = bonus\n"
	    "points = 1 ; a trailing comment is fine\n",
	    "test.ini:43: [category.a1] hotkey: \"q\" is reserved by the "
	    "shift desk (reserved: q ? u x / j k a e R T [ ] < >)",
	    "test.ini:48: [category.a2] hotkey: \"p\" is already the hotkey "
	    "of [category.praise] (line 38)",
	    "test.ini:53: [category.a3] hotkey: \"ab\" is not one printable "
	    "ASCII character (a letter, digit or sign; not a space)",
	    "test.ini:58: [category.a4] hotkey: a space cannot be a hotkey",
	    "test.ini:63: [category.a5] hotkey: empty value (';' and '#' "
	    "start a comment: write the value in quotes, like \"#\")",
	    "test.ini:68: [category.a6] hotkey: \"迟\" is not one printable "
	    "ASCII character (a letter, digit or sign; not a space)",
	    "test.ini:71: [category.a7] hotkey: required key is missing",
	    "test.ini:77: [category.a8] hotkey: \"R\" is reserved by the "
	    "shift desk (reserved: q ? u x / j k a e R T [ ] < >)",
	    "test.ini:82: [category.a9] hotkey: \"3\" is a digit: on the "
	    "shift desk digits type the quantity before a hotkey (3r = "
	    "three)",
	    "test.ini:86: [category.b1] label: ';' or '#' inside the value "
	    "would cut it short (they start a comment): put comments on "
	    "their own line, or write the value in double quotes");
}
END_TEST

START_TEST(error_signs)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.c1]\nlabel = a\nhotkey = b\nkind = deduction\n"
	    "points = 2\nescalate = 3:-5, 5:10\n"
	    "[category.c2]\nlabel = a\nhotkey = d\nkind = bonus\n"
	    "points = -2\nbudget = 0\n",
	    "test.ini:45: [category.c1] points: \"2\" must be <= 0 in a "
	    "deduction category",
	    "test.ini:46: [category.c1] escalate: entry 2 \"5:10\": the "
	    "total must be <= 0 in a deduction category",
	    "test.ini:51: [category.c2] points: \"-2\" must be >= 0 in a "
	    "bonus category",
	    "test.ini:52: [category.c2] budget: \"0\" is out of range (must "
	    "be greater than 0 and at most 1000000)");
	/* The same values are fine the other way round. */
	char *text = variant(NULL, NULL,
	                     "[category.c1]\nlabel = a\nhotkey = b\n"
	                     "kind = bonus\npoints = 2\nescalate = 3:5, 5:10\n"
	                     "budget = 12.5\n");
	struct rulebook *rb = load_ok(text);
	ck_assert_int_eq(rb->categories[1].escalate[1].total_cp, 1000);
	ck_assert_int_eq(rb->categories[1].budget_cp, 1250);
	rulebook_destroy(rb);
	free(text);
}
END_TEST

START_TEST(error_free_with_escalate)
{
	EXPECT_VARIANT(NULL, NULL,
	               "[category.c3]\nlabel = a\nhotkey = f\n"
	               "kind = deduction\npoints = -1\nfree = 0\n"
	               "escalate = 3:-5\n",
	               "test.ini:47: [category.c3] escalate: cannot be "
	               "combined with free (line 46)");
}
END_TEST

START_TEST(error_zero_at_without_budget)
{
	EXPECT_VARIANT(NULL, NULL,
	               "[category.c4]\nlabel = a\nhotkey = g\n"
	               "kind = deduction\npoints = -1\nzero_at = 2\n"
	               "[category.c5]\nlabel = a\nhotkey = h\nkind = bonus\n"
	               "points = 1\nbudget = 5\nzero_at = 2\n",
	               "test.ini:46: [category.c4] zero_at: needs budget (the "
	               "total it sets is -budget)",
	               "test.ini:53: [category.c5] zero_at: only a deduction "
	               "category can have zero_at");
}
END_TEST

START_TEST(error_escalate_syntax)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.c5]\nlabel = a\nhotkey = h\n"
	    "kind = deduction\npoints = -1\n"
	    "escalate = 3:-5, 3:-6, x:1, 4, 0:-1\n",
	    "test.ini:46: [category.c5] escalate: entry 2 \"3:-6\": "
	    "N must be greater than the previous entry's 3",
	    "test.ini:46: [category.c5] escalate: entry 3 \"x:1\": N "
	    "must be a whole number from 1 to 100000",
	    "test.ini:46: [category.c5] escalate: entry 4 \"4\": "
	    "expected N:TOTAL (like 3:-5)",
	    "test.ini:46: [category.c5] escalate: entry 5 \"0:-1\": N "
	    "must be a whole number from 1 to 100000");
}
END_TEST

START_TEST(error_not_a_number)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.c6]\nlabel = a\nhotkey = i\nkind = deduction\n"
	    "points = abc\nfree = 2x\ndismiss_at = 1.5\nfine = 0.001\n"
	    "fine_growth = 0.5\n",
	    "test.ini:45: [category.c6] points: \"abc\" is not a number of "
	    "points with at most 2 decimals (like -0.5)",
	    "test.ini:46: [category.c6] free: \"2x\" is not a whole number "
	    "(like 2)",
	    "test.ini:47: [category.c6] dismiss_at: \"1.5\" is not a whole "
	    "number (like 3)",
	    "test.ini:48: [category.c6] fine: \"0.001\" is not an amount of "
	    "yuan with at most 2 decimals (like 30 or 0.5)",
	    "test.ini:49: [category.c6] fine_growth: \"0.5\" is out of range "
	    "(must be from 1 to 100)");
	EXPECT_VARIANT("pool_rate = 0.006", "pool_rate = 0.0000001", NULL,
	               "test.ini:14: [bonus] pool_rate: \"0.0000001\" is not a "
	               "rate with at most 6 decimals (like 0.006)");
	EXPECT_VARIANT("from_month = 3", "from_month = 0x3", NULL,
	               "test.ini:11: [pay] from_month: \"0x3\" is not a whole "
	               "number of months (like 3)");
}
END_TEST

START_TEST(error_choices)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[category.c7]\nlabel = a\nhotkey = y\nkind = deduct\n"
	    "unit = hours\npoints = -1\nseverity = mild\n"
	    "attendance = yes\nnote = must\n",
	    "test.ini:44: [category.c7] kind: \"deduct\" is not one "
	    "of: deduction, bonus",
	    "test.ini:45: [category.c7] unit: \"hours\" is not one "
	    "of: count, minutes",
	    "test.ini:47: [category.c7] severity: \"mild\" is not one "
	    "of: light, medium, severe",
	    "test.ini:48: [category.c7] attendance: \"yes\" is not "
	    "one of: false, true",
	    "test.ini:49: [category.c7] note: \"must\" is not one of: "
	    "optional, required");
}
END_TEST

START_TEST(error_category_key_and_label)
{
	EXPECT_VARIANT(NULL, NULL,
	               "[category.Late]\nlabel = \"  \"\nhotkey = b\n"
	               "kind = bonus\npoints = 1\n"
	               "[category.]\nlabel = \xE8\xBF\nhotkey = d\n"
	               "kind = bonus\npoints = 1\n",
	               "test.ini:41: [category.Late]: \"Late\" is not a valid "
	               "category key (1 to 31 of a-z, 0-9 and _)",
	               "test.ini:42: [category.late] label: empty value",
	               "test.ini:46: [category.]: \"\" is not a valid category "
	               "key (1 to 31 of a-z, 0-9 and _)",
	               "test.ini:47: [category.] label: not valid UTF-8 (save "
	               "the file as UTF-8)");
}
END_TEST

START_TEST(error_kpi_weights)
{
	static const char kpis[] =
	    "[score]\nmode = kpi\n"
	    "[kpi.sales]\nlabel = 销售\nmetric = sales_pct\nweight = 45\n"
	    "bands = >=100:100, *:0\n"
	    "[kpi.conv]\nlabel = 转化\nmetric = conversion\nweight = 40\n"
	    "bands = >=64:100, *:0\n";
	EXPECT_VARIANT(
	    NULL, NULL, kpis,
	    "test.ini:51: [kpi.conv] weight: the weights of all "
	    "[kpi.*] sections add up to 85; they must add up to 100");
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[kpi.x]\nlabel = x\nmetric = speed\nweight = 5.5\n"
	    "bands = >=64:120, *:-1\n",
	    "test.ini:43: [kpi.x] metric: \"speed\" is not one of: "
	    "sales_pct, conversion, response_s, aov_pct, reply_rate",
	    "test.ini:44: [kpi.x] weight: \"5.5\" is not a whole "
	    "number (like 45)",
	    "test.ini:45: [kpi.x] bands: entry 1 \">=64:120\": the "
	    "score must be from 0 to 100",
	    "test.ini:45: [kpi.x] bands: entry 2 \"*:-1\": the score "
	    "must be from 0 to 100");
	EXPECT_VARIANT(NULL, NULL, "[score]\nmode = kpi\n",
	               "test.ini:42: [score] mode: mode = kpi needs at least "
	               "one [kpi.KEY] section");
}
END_TEST

START_TEST(error_tiers)
{
	EXPECT_VARIANT(
	    "order = junior, senior",
	    "order = junior, middle, senior, junior, Top",
	    "[tier.other]\nlabel = 其他\n",
	    "test.ini:22: [tiers] order: item 4 \"junior\" is listed "
	    "twice",
	    "test.ini:22: [tiers] order: item 5 \"Top\" is not a "
	    "tier key (1 to 31 of a-z, 0-9 and _)",
	    "test.ini:22: [tiers] order: tier \"middle\" has no "
	    "[tier.middle] section",
	    "test.ini:41: [tier.other]: tier not listed in [tiers] "
	    "order");
	/* Promotion keys: all or none, and none on the top tier. */
	EXPECT_VARIANT("label = 高级", "label = 高级\npromote_score = 99", NULL,
	               "test.ini:32: [tier.senior] promote_score: the top tier "
	               "(last in [tiers] order) has no promotion");
	EXPECT_VARIANT("min_months = 3\n", "", NULL,
	               "test.ini:25: [tier.junior] min_months: required with "
	               "the other promotion keys (promote_score, "
	               "promote_months and min_months go together)");
}
END_TEST

START_TEST(error_duplicates)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "points = 3\n[combo]\nlight = 4\n[combo]\npoints = -20\n",
	    "test.ini:41: [category.praise] points: set twice (first "
	    "on line 40); only one is allowed",
	    "test.ini:44: [combo]: section repeated (first on line "
	    "42); write each section once");
}
END_TEST

START_TEST(error_score_combo_bonus)
{
	EXPECT_VARIANT(NULL, NULL,
	               "[score]\nmin = 50\nmax = 40\n[combo]\npoints = -20\n",
	               "test.ini:43: [score] max: max (40) is below min (50)",
	               "test.ini:45: [combo] points: has no effect without "
	               "light or medium");
	EXPECT_VARIANT(NULL, NULL, "[combo]\nmedium = 2\n",
	               "test.ini:41: [combo] points: required key is missing");
	EXPECT_VARIANT(
	    "shares = 40, 30\nawards = 200, 100",
	    "shares = 40, 40\nawards = 200, abc, -1,", NULL,
	    "test.ini:16: [bonus] awards: item 2 \"abc\" is not an "
	    "amount of yuan with at most 2 decimals (like 30 or 0.5)",
	    "test.ini:16: [bonus] awards: item 3 \"-1\" is out of "
	    "range (must be from 0 to 10000000)",
	    "test.ini:16: [bonus] awards: item 4 is empty (items are "
	    "separated by commas, like 40, 30)",
	    "test.ini:17: [bonus] rest_share: shares and rest_share "
	    "add up to 110%, more than the whole pool (100%)");
}
END_TEST

START_TEST(error_missing_keys_and_sections)
{
	/* A missing key is reported at its section's header. */
	EXPECT_VARIANT("[pay]\nbaseline = 80\n", "[pay]\n", "[category.bare]\n",
	               "test.ini:7: [pay] baseline: required key is missing",
	               "test.ini:40: [category.bare] label: required key is "
	               "missing",
	               "test.ini:40: [category.bare] hotkey: required key is "
	               "missing",
	               "test.ini:40: [category.bare] kind: required key is "
	               "missing",
	               "test.ini:40: [category.bare] points: required key is "
	               "missing");
	/* A missing section is reported at the file's last line, where it
	 * can be added. */
	EXPECT_VARIANT("[review]\ndismiss_below = 60\nlast_place_below = 70\n"
	               "last_place_months = 2\n",
	               "", NULL,
	               "test.ini:36: [review]: required section is missing");
}
END_TEST

START_TEST(error_empty_file)
{
	/* An empty file has no last line: line 1. */
	EXPECT_ERRORS("", "test.ini:1: [team]: required section is missing",
	              "test.ini:1: [grades]: required section is missing",
	              "test.ini:1: [pay]: required section is missing",
	              "test.ini:1: [bonus]: required section is missing",
	              "test.ini:1: [award]: required section is missing",
	              "test.ini:1: [tiers]: required section is missing",
	              "test.ini:1: [review]: required section is missing",
	              "test.ini:1: no [category.KEY] section: the shift desk "
	              "needs at least one category to log");
}
END_TEST

START_TEST(error_syntax)
{
	size_t len;
	char *text = tu_read_file(FIXTURES "/syntax.ini", &len);
	expect_errors_in(
	    text, len,
	    (const char *const[]){
	        "test.ini:3: syntax error: text after ']' in section "
	        "header \"[team] ; 团队\" (comments go on their own "
	        "line)",
	        "test.ini:5: syntax error: section header \"[grades\" "
	        "has no closing ']'",
	        "test.ini:7: syntax error: \"just some words\" is not a "
	        "[section] header, a key = value line or a comment (; "
	        "or #)",
	        "test.ini:8: syntax error: no key name before '='",
	        "test.ini:9: [pay] baseline: required key is missing",
	        "test.ini:9: [pay] cap: required key is missing",
	        "test.ini:9: [pay] from_month: required key is missing",
	        "test.ini:10: syntax error: the line ends with '\\', "
	        "which would join the next line to it; remove the "
	        "backslash",
	        "test.ini:12: syntax error: empty section name",
	        "test.ini:13: [team]: required section is missing",
	        "test.ini:13: [grades]: required section is missing",
	        "test.ini:13: [bonus]: required section is missing",
	        "test.ini:13: [award]: required section is missing",
	        "test.ini:13: [tiers]: required section is missing",
	        "test.ini:13: [review]: required section is missing",
	        "test.ini:13: no [category.KEY] section: the shift desk "
	        "needs at least one category to log",
	        NULL});
	free(text);
}
END_TEST

START_TEST(error_key_outside_section)
{
	char *base = variant(NULL, NULL, NULL);
	size_t len = strlen(base);
	char *text = malloc(len + 32);
	ck_assert_ptr_nonnull(text);
	strcpy(text, "mode = kpi\n");
	strcat(text, base);
	EXPECT_ERRORS(text,
	              "test.ini:1: key \"mode\" is outside any [section]");
	free(text);
	free(base);
}
END_TEST

START_TEST(error_long_line_and_nul)
{
	/* 1022 bytes is iniparser's limit: one more byte is an error. */
	char label[1100];
	memset(label, 'a', sizeof(label));
	label[1022 - strlen("label = ")] = '\0';
	char line[1200];
	snprintf(line, sizeof(line), "label = %s", label);
	ck_assert_uint_eq(strlen(line), 1022);
	char *text = variant("label = 表扬", line, NULL);
	struct rulebook *rb = load_ok(text);
	ck_assert_uint_eq(strlen(rb->categories[0].label), 1014);
	rulebook_destroy(rb);
	free(text);

	strcat(line, "b");
	text = variant("label = 表扬", line, NULL);
	EXPECT_ERRORS(text,
	              "test.ini:36: [category.praise] label: required key is "
	              "missing",
	              "test.ini:37: syntax error: the line is 1023 bytes long; "
	              "at most 1022 bytes are allowed");
	free(text);

	/* A NUL byte: config_load_text takes a length, so it is seen. */
	text = variant("label = 表扬", "label = a#b", NULL);
	size_t len = strlen(text);
	*strchr(text, '#') = '\0';
	expect_errors_in(text, len,
	                 (const char *const[]){
	                     "test.ini:36: [category.praise] label: "
	                     "required key is missing",
	                     "test.ini:37: syntax error: the line contains "
	                     "a NUL byte",
	                     NULL});
	free(text);
}
END_TEST

START_TEST(error_many_in_one_file)
{
	size_t len;
	char *text = tu_read_file(FIXTURES "/many-errors.ini", &len);
	expect_errors_in(
	    text, len,
	    (const char *const[]){
	        "test.ini:4: [team] name: empty value",
	        "test.ini:6: [score] mode: \"fixd\" is not one of: "
	        "fixed, kpi",
	        "test.ini:13: [pay] per_point: \"ten\" is not an amount "
	        "of yuan with at most 2 decimals (like 30 or 0.5)",
	        "test.ini:29: [tier.junior] promote_months: required "
	        "with the other promotion keys (promote_score, "
	        "promote_months and min_months go together)",
	        "test.ini:29: [tier.junior] min_months: required with "
	        "the other promotion keys (promote_score, "
	        "promote_months and min_months go together)",
	        "test.ini:34: [review] last_place_months: required key "
	        "is missing",
	        "test.ini:42: [category.late] bands: entry 2 "
	        "\"<=30:-2\": the list must end with '*:RESULT' "
	        "(otherwise)",
	        "test.ini:48: [category.complaint] escalte: unknown "
	        "key; did you mean escalate?",
	        "test.ini:51: [category.praise] hotkey: \"c\" is "
	        "already the hotkey of [category.complaint] (line 45)",
	        "test.ini:54: [category.praise] points: set twice "
	        "(first on line 53); only one is allowed",
	        NULL});
	free(text);

	/* The same through config_load_file: FILE is the path. */
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	ck_assert_int_eq(
	    config_load_file(FIXTURES "/many-errors.ini", &rb, &errors),
	    KD_ERR_CONFIG);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(errors.count, 10);
	ck_assert_str_eq(errors.messages[0], FIXTURES
	                 "/many-errors.ini:4: [team] name: empty value");
	config_errors_finish(&errors);
	ck_assert_uint_eq(errors.count, 0);
	ck_assert_ptr_null(errors.messages);
}
END_TEST

START_TEST(error_missing_file)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	ck_assert_int_eq(
	    config_load_file(FIXTURES "/no-such.ini", &rb, &errors), KD_ERR_IO);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(errors.count, 1);
	ck_assert_str_eq(errors.messages[0],
	                 FIXTURES "/no-such.ini: cannot read: No such file or "
	                          "directory");
	config_errors_finish(&errors);

	ck_assert_int_eq(config_load_file(FIXTURES, &rb, &errors), KD_ERR_IO);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(errors.count, 1);
	ck_assert_str_eq(errors.messages[0],
	                 FIXTURES ": cannot read: Is a directory");
	config_errors_finish(&errors);
}
END_TEST

/* ------------------------------------------------------------------ */
/* [team] lead, [category.X] short, [import.kpi]                       */

#define IMPORT_TAIL                                                            \
	"[import.kpi]\n"                                                       \
	"sales = 成交金额, 支付金额\n"                                 \
	"agent = 客服账号 ,旺旺名\n"                                    \
	"reply_rate = 3分钟回复率\n"

START_TEST(new_keys_loaded)
{
	char *text = variant("name = 测试组", "name = 测试组\nlead = 王主管",
	                     "short = 表扬\n"
	                     "[category.late]\nlabel = 迟到\nhotkey = l\n"
	                     "kind = deduction\npoints = -1\nshort = lt\n"
	                     "[category.away]\nlabel = 离岗\nhotkey = w\n"
	                     "kind = deduction\npoints = -1\n"
	                     "short = 岗A\n" IMPORT_TAIL);
	struct rulebook *rb = load_ok(text);
	ck_assert_str_eq(rb->team_name, "测试组");
	ck_assert_str_eq(rb->lead_name, "王主管");
	ck_assert_uint_eq(rb->category_count, 3);
	ck_assert_str_eq(rb->categories[0].short_label, "表扬");
	ck_assert_str_eq(rb->categories[1].short_label, "lt");
	ck_assert_str_eq(rb->categories[2].short_label, "岗A");

	/* In the order written; names trimmed, in their order. */
	ck_assert_uint_eq(rb->import_kpi_count, 3);
	ck_assert_str_eq(rb->import_kpi[0].field, "sales");
	ck_assert_uint_eq(rb->import_kpi[0].count, 2);
	ck_assert_str_eq(rb->import_kpi[0].names[0], "成交金额");
	ck_assert_str_eq(rb->import_kpi[0].names[1], "支付金额");
	ck_assert_str_eq(rb->import_kpi[1].field, "agent");
	ck_assert_uint_eq(rb->import_kpi[1].count, 2);
	ck_assert_str_eq(rb->import_kpi[1].names[0], "客服账号");
	ck_assert_str_eq(rb->import_kpi[1].names[1], "旺旺名");
	ck_assert_str_eq(rb->import_kpi[2].field, "reply_rate");
	ck_assert_uint_eq(rb->import_kpi[2].count, 1);
	ck_assert_str_eq(rb->import_kpi[2].names[0], "3分钟回复率");
	rulebook_destroy(rb);
	free(text);

	/* Every import field is a key; all absent is no section at all. */
	text = variant(NULL, NULL,
	               "[import.kpi]\nagent = a\nsales = b\ntarget = c\n"
	               "inquiries = d\nbuyers = 询单->最终付款人数\n"
	               "conversion = f\nresponse_s = g\naov = h\n"
	               "reply_rate = i\n");
	rb = load_ok(text);
	ck_assert_uint_eq(rb->import_kpi_count, 9);
	ck_assert_str_eq(rb->import_kpi[4].field, "buyers");
	ck_assert_str_eq(rb->import_kpi[4].names[0], "询单->最终付款人数");
	ck_assert_str_eq(rb->import_kpi[8].field, "reply_rate");
	rulebook_destroy(rb);
	free(text);

	text = variant(NULL, NULL, NULL);
	rb = load_ok(text);
	ck_assert_ptr_null(rb->lead_name);
	ck_assert_ptr_null(rb->categories[0].short_label);
	ck_assert_uint_eq(rb->import_kpi_count, 0);
	ck_assert_ptr_null(rb->import_kpi);
	rulebook_destroy(rb);
	free(text);
}
END_TEST

/* The shipped files' commented examples of the new keys, uncommented,
 * load and mean what their comments say. */
START_TEST(shipped_examples_work)
{
	static const char *const files[] = {DEFAULT_INI, KPI_INI};
	static const char *const keys[] = {
	    "lead",       "short",      "[import.kpi]", "agent",
	    "sales",      "target",     "inquiries",    "buyers",
	    "conversion", "response_s", "aov",          "reply_rate"};
	for (size_t f = 0; f < 2; f++) {
		char *text = tu_read_file(files[f], NULL);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			char from[64], to[64];
			snprintf(from, sizeof(from), "\n; %s%s", keys[k],
			         keys[k][0] == '[' ? "\n" : " = ");
			snprintf(to, sizeof(to), "\n%s", from + 3);
			char *next = tu_replace(text, from, to, NULL);
			free(text);
			text = next;
		}
		struct rulebook *plain = load_file_ok(files[f]);
		ck_assert_ptr_null(plain->lead_name);
		ck_assert_uint_eq(plain->import_kpi_count, 0);
		for (size_t i = 0; i < plain->category_count; i++)
			ck_assert_ptr_null(plain->categories[i].short_label);
		rulebook_destroy(plain);

		struct rulebook *rb = load_ok(text);
		ck_assert_str_eq(rb->lead_name, "王主管");
		ck_assert_str_eq(rb->categories[0].key, "late");
		ck_assert_str_eq(rb->categories[0].short_label, "迟到");
		ck_assert_uint_eq(rb->import_kpi_count, 9);
		ck_assert_str_eq(rb->import_kpi[0].field, "agent");
		ck_assert_uint_eq(rb->import_kpi[0].count, 2);
		ck_assert_str_eq(rb->import_kpi[0].names[1], "旺旺");
		ck_assert_str_eq(rb->import_kpi[4].field, "buyers");
		ck_assert_str_eq(rb->import_kpi[4].names[0],
		                 "询单->最终付款人数");
		ck_assert_str_eq(rb->import_kpi[8].field, "reply_rate");
		ck_assert_str_eq(rb->import_kpi[8].names[0], "3分钟回复率");
		rulebook_destroy(rb);
		free(text);
	}
}
END_TEST

START_TEST(error_short_labels)
{
	/* Width in display cells: a Chinese character takes 2. */
	EXPECT_VARIANT(NULL, NULL,
	               "short = A\n"
	               "[category.late]\nlabel = 迟到\nhotkey = l\n"
	               "kind = deduction\npoints = -1\nshort = 迟到早退\n"
	               "[category.away]\nlabel = 离岗\nhotkey = w\n"
	               "kind = deduction\npoints = -1\nshort = abcde\n",
	               "test.ini:41: [category.praise] short: \"A\" is 1 "
	               "display cell wide; a short label takes 2 to 4 (a "
	               "Chinese character takes 2)",
	               "test.ini:47: [category.late] short: \"迟到早退\" is 8 "
	               "display cells wide; a short label takes 2 to 4 (a "
	               "Chinese character takes 2)",
	               "test.ini:53: [category.away] short: \"abcde\" is 5 "
	               "display cells wide; a short label takes 2 to 4 (a "
	               "Chinese character takes 2)");
	/* Two categories may not share one. */
	EXPECT_VARIANT(
	    NULL, NULL,
	    "short = 迟到\n"
	    "[category.late]\nlabel = 迟到\nhotkey = l\n"
	    "kind = deduction\npoints = -1\nshort = 迟到\n",
	    "test.ini:47: [category.late] short: \"迟到\" is already "
	    "the short label of [category.praise] (line 41)");
	/* Empty, and hidden characters, like every label. */
	EXPECT_VARIANT(NULL, NULL, "short =\n",
	               "test.ini:41: [category.praise] short: empty value");
	EXPECT_VARIANT(NULL, NULL, "short = 表\xe2\x80\x8b扬\n",
	               "test.ini:41: [category.praise] short: contains "
	               "U+200B (a zero-width character) at character 2; "
	               "remove it");
}
END_TEST

START_TEST(error_team_lead)
{
	EXPECT_VARIANT("name = 测试组", "name = 测试组\nlead =", NULL,
	               "test.ini:5: [team] lead: empty value");
	EXPECT_VARIANT("name = 测试组",
	               "name = 测试组\nlead = 王\xe2\x80\xae主管", NULL,
	               "test.ini:5: [team] lead: contains U+202E (a bidi "
	               "control) at character 2; remove it");
	EXPECT_VARIANT("name = 测试组",
	               "name = 测试组\nlead = 王主管\nleader = 李", NULL,
	               "test.ini:6: [team] leader: unknown key; did you mean "
	               "lead?");
	/* Labels and names refuse C1 controls too. */
	EXPECT_VARIANT("label = 表扬", "label = 表\xc2\x85扬", NULL,
	               "test.ini:37: [category.praise] label: contains U+0085 "
	               "(a C1 control character) at character 2; remove it");
}
END_TEST

START_TEST(error_import_kpi)
{
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[import.kpi]\n"
	    "agnet = 客服账号\n"
	    "sales = 成交金额,,支付金额\n"
	    "target = 目标, 目标\n"
	    "buyers = 成交金额\n"
	    "aov = \n"
	    "inquiries = 询单人数\n"
	    "inquiries = 咨询人数\n"
	    "reply_rate = a\x01b\n",
	    "test.ini:42: [import.kpi] agnet: unknown key; did you "
	    "mean agent?",
	    "test.ini:43: [import.kpi] sales: item 2 is empty (names "
	    "are separated by commas)",
	    "test.ini:44: [import.kpi] target: item 2 \"目标\" "
	    "repeats item 1",
	    "test.ini:46: [import.kpi] aov: empty value",
	    "test.ini:48: [import.kpi] inquiries: set twice (first "
	    "on line 47); only one is allowed",
	    "test.ini:49: [import.kpi] reply_rate: item 1 contains "
	    "a control character");
	/* One header name for two fields would leave the import guessing. */
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[import.kpi]\nsales = 成交金额\nbuyers = 人数, 成交金额\n",
	    "test.ini:43: [import.kpi] buyers: \"成交金额\" is "
	    "already a header name for sales (line 42)");
	EXPECT_VARIANT(NULL, NULL, "[import.kpis]\n[imports.sales]\n[import]\n",
	               "test.ini:41: [import.kpis]: unknown section; did you "
	               "mean [import.kpi]?",
	               "test.ini:42: [imports.sales]: unknown section; did you "
	               "mean [import.kpi]?",
	               "test.ini:43: [import]: unknown section; the sections "
	               "are [team], [score], [combo], [grades], [pay], "
	               "[bonus], [award], [tiers], [tier.KEY], [review], "
	               "[category.KEY], [kpi.KEY] and [import.kpi]");
}
END_TEST

START_TEST(error_text_after_quote)
{
	/* iniparser keeps only the quoted part: the rest would vanish. */
	EXPECT_VARIANT(
	    NULL, NULL,
	    "[import.kpi]\nagent = \"客服账号\", 旺旺\n"
	    "sales = \"成交金额\" ; a comment is fine\n",
	    "test.ini:42: [import.kpi] agent: text after the closing "
	    "quote would be dropped: quote the whole value, or "
	    "nothing");
}
END_TEST

/* ------------------------------------------------------------------ */
/* One way to the rulebook                                             */

START_TEST(load_rulebook_path_or_builtin)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	ck_assert_int_eq(config_load_rulebook(NULL, &rb, &errors), KD_OK);
	ck_assert_uint_eq(errors.count, 0);
	ck_assert_str_eq(rb->source_name, "(built-in rulebook)");
	ck_assert_str_eq(rb->source_name, CONFIG_BUILTIN_NAME);
	ck_assert_str_eq(rb->team_name, "售前客服组");
	size_t len = 0;
	ck_assert_str_eq(rb->source_text, config_builtin_text(&len));
	rulebook_destroy(rb);
	ck_assert_str_eq(config_source_name(NULL), "(built-in rulebook)");
	ck_assert_str_eq(config_source_name(KPI_INI), KPI_INI);

	rb = NULL;
	ck_assert_int_eq(config_load_rulebook(KPI_INI, &rb, &errors), KD_OK);
	ck_assert_str_eq(rb->source_name, KPI_INI);
	ck_assert_int_eq(rb->mode, RB_MODE_KPI);
	rulebook_destroy(rb);

	rb = NULL;
	ck_assert_int_eq(
	    config_load_rulebook(FIXTURES "/no-such.ini", &rb, &errors),
	    KD_ERR_IO);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(errors.count, 1);
	ck_assert_str_eq(errors.messages[0],
	                 FIXTURES "/no-such.ini: cannot read: No such file or "
	                          "directory");
	config_errors_finish(&errors);

	/* The file in a test directory, and errors with its path. */
	char *dir = tu_make_temp_dir("config");
	char *path = tu_path(dir, "team.ini");
	char *text = variant("points = 2", "points = -2", NULL);
	tu_write_file(path, text);
	rb = NULL;
	ck_assert_int_eq(config_load_rulebook(path, &rb, &errors),
	                 KD_ERR_CONFIG);
	ck_assert_uint_eq(errors.count, 1);
	char want[4096];
	snprintf(want, sizeof(want),
	         "%s:40: [category.praise] points: \"-2\" must be >= 0 in a "
	         "bonus category",
	         path);
	ck_assert_str_eq(errors.messages[0], want);
	config_errors_finish(&errors);
	free(text);
	free(path);
	tu_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(no_temporary_file)
{
	/* iniparser gets the text through memory: a TMPDIR that cannot be
	 * written (here: does not exist) changes nothing. */
	char *dir = tu_make_temp_dir("config-tmp");
	char *gone = tu_path(dir, "gone");
	ck_assert_int_eq(setenv("TMPDIR", gone, 1), 0);
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	ck_assert_int_eq(config_load_rulebook(NULL, &rb, &errors), KD_OK);
	ck_assert_uint_eq(rb->category_count, 14);
	rulebook_destroy(rb);
	ck_assert_int_eq(unsetenv("TMPDIR"), 0);
	/* And nothing was left in the directory it would have used. */
	ck_assert_int_eq(setenv("TMPDIR", dir, 1), 0);
	rb = NULL;
	ck_assert_int_eq(config_load_rulebook(NULL, &rb, &errors), KD_OK);
	rulebook_destroy(rb);
	ck_assert_int_eq(unsetenv("TMPDIR"), 0);
	ck_assert_int_eq(rmdir(dir), 0); /* fails if anything is in it */
	free(gone);
	free(dir);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Lookups                                                             */

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");

	TCase *shipped = tcase_create("shipped");
	tcase_add_test(shipped, default_rulebook_top_sections);
	tcase_add_test(shipped, default_rulebook_categories);
	tcase_add_test(shipped, default_rulebook_source);
	tcase_add_test(shipped, builtin_is_the_default_file);
	tcase_add_test(shipped, kpi_profile);
	tcase_add_test(shipped, kpi_profile_matches_default);
	tcase_add_test(shipped, shipped_lines_fit);
	suite_add_tcase(s, shipped);

	TCase *accepted = tcase_create("accepted");
	tcase_add_test(accepted, minimal_defaults);
	tcase_add_test(accepted, bom_is_accepted);
	tcase_add_test(accepted, crlf_and_case);
	tcase_add_test(accepted, quoted_values);
	tcase_add_test(accepted, numbers_are_decimal);
	suite_add_tcase(s, accepted);

	TCase *errors = tcase_create("errors");
	tcase_add_test(errors, error_unknown_section);
	tcase_add_test(errors, error_unknown_key);
	tcase_add_test(errors, error_bad_band_lists);
	tcase_add_test(errors, error_bands_and_unit);
	tcase_add_test(errors, error_hotkeys);
	tcase_add_test(errors, error_signs);
	tcase_add_test(errors, error_free_with_escalate);
	tcase_add_test(errors, error_zero_at_without_budget);
	tcase_add_test(errors, error_escalate_syntax);
	tcase_add_test(errors, error_not_a_number);
	tcase_add_test(errors, error_choices);
	tcase_add_test(errors, error_category_key_and_label);
	tcase_add_test(errors, error_kpi_weights);
	tcase_add_test(errors, error_tiers);
	tcase_add_test(errors, error_duplicates);
	tcase_add_test(errors, error_score_combo_bonus);
	tcase_add_test(errors, error_missing_keys_and_sections);
	tcase_add_test(errors, error_empty_file);
	tcase_add_test(errors, error_syntax);
	tcase_add_test(errors, error_key_outside_section);
	tcase_add_test(errors, error_long_line_and_nul);
	tcase_add_test(errors, error_many_in_one_file);
	tcase_add_test(errors, error_missing_file);
	suite_add_tcase(s, errors);

	TCase *newkeys = tcase_create("newkeys");
	tcase_add_test(newkeys, new_keys_loaded);
	tcase_add_test(newkeys, shipped_examples_work);
	tcase_add_test(newkeys, error_short_labels);
	tcase_add_test(newkeys, error_team_lead);
	tcase_add_test(newkeys, error_import_kpi);
	tcase_add_test(newkeys, error_text_after_quote);
	tcase_add_test(newkeys, load_rulebook_path_or_builtin);
	tcase_add_test(newkeys, no_temporary_file);
	suite_add_tcase(s, newkeys);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
