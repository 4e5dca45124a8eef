/* The rulebook struct: allocation, release and lookups.
 *
 * Pure data; the INI loader (src/config/config.c) fills it in.
 */
#include "kpidesk/rulebook.h"

#include <stdlib.h>
#include <string.h>

static const char *const metric_names[RB_METRIC_COUNT] = {
    [RB_METRIC_SALES_PCT] = "sales_pct",
    [RB_METRIC_CONVERSION] = "conversion",
    [RB_METRIC_RESPONSE_S] = "response_s",
    [RB_METRIC_AOV_PCT] = "aov_pct",
    [RB_METRIC_REPLY_RATE] = "reply_rate",
};

const char *rb_metric_name(enum rb_metric metric)
{
	if ((int)metric < 0 || metric >= RB_METRIC_COUNT)
		return NULL;
	return metric_names[metric];
}

struct rulebook *rulebook_create(void)
{
	/* calloc gives NULL pointers and zero counts on every platform we
	 * build for (all-bits-zero null pointers). */
	return calloc(1, sizeof(struct rulebook));
}

static void category_finish(struct rb_category *cat)
{
	free(cat->label);
	band_list_finish(&cat->bands);
	free(cat->escalate);
	free(cat->short_label);
}

void rulebook_destroy(struct rulebook *rb)
{
	if (!rb)
		return;
	for (size_t i = 0; i < rb->category_count; i++)
		category_finish(&rb->categories[i]);
	free(rb->categories);
	for (size_t i = 0; i < rb->kpi_count; i++) {
		free(rb->kpis[i].label);
		band_list_finish(&rb->kpis[i].bands);
	}
	free(rb->kpis);
	for (size_t i = 0; i < rb->tier_count; i++)
		free(rb->tiers[i].label);
	free(rb->tiers);
	free(rb->top_streak_fen);
	free(rb->bonus_awards_fen);
	free(rb->bonus_shares_bp);
	band_list_finish(&rb->grades);
	for (size_t i = 0; i < rb->import_kpi_count; i++) {
		for (size_t j = 0; j < rb->import_kpi[i].count; j++)
			free(rb->import_kpi[i].names[j]);
		free(rb->import_kpi[i].names);
	}
	free(rb->import_kpi);
	free(rb->team_name);
	free(rb->lead_name);
	free(rb->source_name);
	free(rb->source_text);
	free(rb);
}

int rulebook_category_index(const struct rulebook *rb, const char *key)
{
	if (!rb || !key)
		return -1;
	for (size_t i = 0; i < rb->category_count; i++) {
		if (strcmp(rb->categories[i].key, key) == 0)
			return (int)i;
	}
	return -1;
}

const struct rb_category *rulebook_category(const struct rulebook *rb,
                                            const char *key)
{
	int index = rulebook_category_index(rb, key);
	return index < 0 ? NULL : &rb->categories[index];
}

const struct rb_category *rulebook_category_by_hotkey(const struct rulebook *rb,
                                                      char hotkey)
{
	if (!rb || hotkey == '\0')
		return NULL;
	for (size_t i = 0; i < rb->category_count; i++) {
		if (rb->categories[i].hotkey == hotkey)
			return &rb->categories[i];
	}
	return NULL;
}

int rulebook_tier_index(const struct rulebook *rb, const char *key)
{
	if (!rb || !key)
		return -1;
	for (size_t i = 0; i < rb->tier_count; i++) {
		if (strcmp(rb->tiers[i].key, key) == 0)
			return (int)i;
	}
	return -1;
}
