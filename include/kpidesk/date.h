/* Calendar dates and months, and the one clock of the program.
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian); a month
 * is year * 12 + (month - 1). Both are plain integers so they sort, subtract
 * and key arrays directly. RULEBOOK.md section 1: a month is a calendar month
 * in local time.
 */
#ifndef KPIDESK_DATE_H
#define KPIDESK_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int32_t kd_date;
typedef int32_t kd_month;

/* "No date" (an agent who has not left). Sorts after every real date. */
#define KD_DATE_NONE INT32_MAX

/* Years outside [1900, 9999] are refused by the parsers. */
#define KD_YEAR_MIN 1900
#define KD_YEAR_MAX 9999

/* Builds a date; false if the day does not exist (2026-02-30). */
bool date_from_ymd(int year, int month, int day, kd_date *out);
void date_to_ymd(kd_date date, int *year, int *month, int *day);

/* Parses exactly "YYYY-MM-DD" (zero-padded). False for anything else,
 * including impossible days. */
bool date_parse(const char *text, kd_date *out);
/* Parses exactly "YYYY-MM". */
bool month_parse(const char *text, kd_month *out);

/* Writes "YYYY-MM-DD" / "YYYY-MM"; buf needs 11 / 8 bytes. Returns buf. */
char *date_format(char *buf, size_t size, kd_date date);
char *month_format(char *buf, size_t size, kd_month month);

kd_month date_month(kd_date date);
kd_date month_first_day(kd_month month);
kd_date month_last_day(kd_month month);
int month_number(kd_month month); /* 1..12 */
int month_year(kd_month month);

/* 0 = Monday ... 6 = Sunday. */
int date_weekday(kd_date date);

/* The clock seam (STYLE.md practice 9). Everything that needs "now" or
 * "today" asks here. clock_set_fixed() pins the clock for tests; passing
 * (time_t)-1 returns to the system clock. */
void clock_set_fixed(time_t now);
time_t clock_now(void);
/* Today's date in local time. */
kd_date clock_today(void);

#endif
