/* Inside the demo (src/app/demo*.c): the plan shared by the planning
 * (demo.c: profiles, events, steering) and the writing (demo_write.c: the
 * one batch that stores it, and app_demo). */
#ifndef KPIDESK_APP_DEMO_INTERNAL_H
#define KPIDESK_APP_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/demo.h"
#include "kpidesk/score.h"

/* data/demo-names.txt, embedded at build time (src/app/meson.build). */
extern const char demo_names_text[];
extern const size_t demo_names_text_len;

#define DEMO_NAME_MAX    64
#define DEMO_HANDLE_MAX  32
#define DEMO_NOTE_MAX    160
#define DEMO_STEER_STEPS 80

#if defined(__GNUC__)
#define DEMO_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DEMO_PRINTF(fmt, args)
#endif

struct demo_rng {
	uint64_t state;
};

/* Target score ranges, centi-points, inside the default grades (>90 A,
 * >=80 B, >=70 C, >=65 D, >=60 E, else F), kept off the grade borders. Each
 * is wider than the small steps (0.5 to 2 points) steering ends with. */
enum demo_target {
	TARGET_NONE,
	TARGET_TOP, /* A, well above everybody else */
	TARGET_A,
	TARGET_B,
	TARGET_BH, /* B, at or above the junior promote score */
	TARGET_C,
	TARGET_D,
	TARGET_E,
	TARGET_F,
};

enum demo_profile {
	PROFILE_STAR,      /* rank 1 every month: top streak */
	PROFILE_STRUGGLER, /* complaints and a quarrel: F, demote, dismiss */
	PROFILE_NEWCOMER,  /* hired last month: probation */
	PROFILE_RISING,    /* a junior at >= 85 every month: promote */
	PROFILE_SLIPPING,  /* promoted last month, then sliding: demote */
	PROFILE_SHAKY,     /* a junior often late and curt */
	PROFILE_STEADY,    /* a senior agent without ambition */
	PROFILE_SOLID,     /* reliable, promoted during the period */
	PROFILE_LEAVER,    /* weak for months, left last month */
	PROFILE_GOOD,      /* the fillers of larger teams from here on */
	PROFILE_FAIR,
	PROFILE_ACE,
	PROFILE_COUNT
};

struct demo_name {
	char name[DEMO_NAME_MAX];
	char handle[DEMO_HANDLE_MAX]; /* "" for none */
};

struct demo_event {
	kd_date date;
	uint32_t seq; /* creation order: breaks ties between equal dates */
	int category; /* index into rb->categories */
	int32_t quantity;
	bool fixed;  /* part of the agent's story: steering keeps it */
	bool voided; /* a duplicate entry, voided at once */
	char note[DEMO_NOTE_MAX]; /* "" for none */
};

/* One agent's events in one month. */
struct demo_slot {
	bool active;
	kd_date first, last; /* the days the agent can have events */
	enum demo_target target;
	size_t count, cap;
	struct demo_event *events;
};

struct demo_agent {
	const struct demo_name *name;
	enum demo_profile profile;
	const char *role;
	kd_date hired;
	kd_date left;      /* KD_DATE_NONE while employed */
	int rest_day;      /* weekday off (and the day after) */
	size_t tier_count; /* 1 or 2 spans */
	struct score_tier_span tiers[2];
	struct score_agent score;
	int64_t id;              /* from the store */
	struct demo_slot *slots; /* [months], oldest first */
};

struct demo_plan {
	const struct rulebook *rb;
	struct demo_rng rng;
	kd_date today;
	kd_month first_month; /* of the period */
	int months;
	size_t agent_count;
	struct demo_agent *agents;
	uint32_t next_seq;
};

/* A planned event with its agent, for the final sort. */
struct demo_row {
	size_t agent;
	const struct demo_event *event;
};

/* A number from lo to hi inclusive, from the plan's generator. */
int32_t demo_rng_range(struct demo_rng *rng, int32_t lo, int32_t hi);

/* snprintf into buf when it is not NULL. */
DEMO_PRINTF(3, 4)
void demo_set_message(char *buf, size_t size, const char *fmt, ...);

/* The names list (data/demo-names.txt): *out gets *count names. */
enum kd_status demo_names_parse(const char *text, size_t len,
                                struct demo_name **out, size_t *count);

/* Plans the whole team and its months in memory (demo.c). */
enum kd_status demo_plan_build(struct demo_plan *plan,
                               const struct demo_name *names,
                               size_t name_count);
void demo_plan_finish(struct demo_plan *plan);

#endif
