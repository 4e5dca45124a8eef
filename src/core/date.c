#include "kpidesk/date.h"

#include <stdio.h>
#include <string.h>

/* Days from civil and back: the era-based algorithm for the proleptic
 * Gregorian calendar (400-year eras of 146097 days). */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_from_ymd(int year, int month, int day, kd_date *out)
{
	if (year < KD_YEAR_MIN || year > KD_YEAR_MAX || month < 1 ||
	    month > 12 || day < 1 || day > days_in_month(year, month))
		return false;
	*out = days_from_civil(year, month, day);
	return true;
}

void date_to_ymd(kd_date date, int *year, int *month, int *day)
{
	int32_t z = date + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t y = yoe + era * 400;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int32_t d = doy - (153 * mp + 2) / 5 + 1;
	int32_t m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(y + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

static bool digits(const char *s, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return true;
}

bool date_parse(const char *text, kd_date *out)
{
	int y, m, d;
	if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
	    !digits(text, 4, &y) || !digits(text + 5, 2, &m) ||
	    !digits(text + 8, 2, &d))
		return false;
	return date_from_ymd(y, m, d, out);
}

bool month_parse(const char *text, kd_month *out)
{
	int y, m;
	if (!text || strlen(text) != 7 || text[4] != '-' ||
	    !digits(text, 4, &y) || !digits(text + 5, 2, &m))
		return false;
	if (y < KD_YEAR_MIN || y > KD_YEAR_MAX || m < 1 || m > 12)
		return false;
	*out = y * 12 + (m - 1);
	return true;
}

char *date_format(char *buf, size_t size, kd_date date)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
	return buf;
}

char *month_format(char *buf, size_t size, kd_month month)
{
	snprintf(buf, size, "%04d-%02d", month_year(month),
	         month_number(month));
	return buf;
}

kd_month date_month(kd_date date)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	return y * 12 + (m - 1);
}

kd_date month_first_day(kd_month month)
{
	return days_from_civil(month_year(month), month_number(month), 1);
}

kd_date month_last_day(kd_month month)
{
	int y = month_year(month), m = month_number(month);
	return days_from_civil(y, m, days_in_month(y, m));
}

int month_number(kd_month month)
{
	return (int)(month % 12) + 1;
}

int month_year(kd_month month)
{
	return (int)(month / 12);
}

int date_weekday(kd_date date)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int32_t w = (date + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static time_t fixed_now = (time_t)-1;

void clock_set_fixed(time_t now)
{
	fixed_now = now;
}

time_t clock_now(void)
{
	return fixed_now != (time_t)-1 ? fixed_now : time(NULL);
}

kd_date clock_today(void)
{
	time_t now = clock_now();
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return 0;
	kd_date today = 0;
	date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &today);
	return today;
}
