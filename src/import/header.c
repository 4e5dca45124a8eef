/* Header names: how a header cell is compared, the built-in table of the
 * back ends' names with the platform beside each, and the rulebook's
 * [import.kpi] names (see kpidesk/import.h). */
#include <string.h>

#include "import_internal.h"

bool import_header_normalize(const char *header, char *buf, size_t size,
                             char *unit, size_t unit_size)
{
	const char *s;
	size_t len = import_trim_span(header, &s);
	size_t n = 0;
	char *open;

	if (size == 0)
		return false;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t space = import_space_at(s + i);
		const char *put = NULL;
		size_t put_len = 1;

		if (space > 0) {
			i += space;
			continue;
		}
		if (c == '\n' || c == '\r' || c == '_' ||
		    (c == '-' && !(i + 1 < len && s[i + 1] == '>'))) {
			i++;
			continue;
		}
		if (strncmp(s + i, "（", 3) == 0) {
			put = "(";
			i += 3;
		} else if (strncmp(s + i, "）", 3) == 0) {
			put = ")";
			i += 3;
		} else if (strncmp(s + i, "→", 3) == 0) {
			put = "->";
			put_len = 2;
			i += 3;
		} else if (strncmp(s + i, "％", 3) == 0) {
			put = "%";
			i += 3;
		} else {
			char lower =
			    (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);

			if (n + 1 >= size)
				return false;
			buf[n++] = lower;
			i++;
			continue;
		}
		if (n + put_len >= size)
			return false;
		memcpy(buf + n, put, put_len);
		n += put_len;
	}
	buf[n] = '\0';
	if (unit != NULL && unit_size > 0)
		unit[0] = '\0';
	open = strrchr(buf, '(');
	if (n > 0 && buf[n - 1] == ')' && open != NULL && open != buf) {
		size_t unit_len = (size_t)(buf + n - 1 - (open + 1));

		if (unit != NULL) {
			if (unit_len + 1 > unit_size)
				return false;
			memcpy(unit, open + 1, unit_len);
			unit[unit_len] = '\0';
		}
		*open = '\0';
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* The columns */

struct column_def {
	const char *what;         /* English, for messages */
	const char *key;          /* [import.kpi] key */
	enum kpi_value_kind kind; /* unused for the agent column */
	const char *headers;      /* a few names, for messages */
};

static const struct column_def columns[KPI_COL_COUNT] = {
    [KPI_COL_AGENT] = {"agent", "agent", KPI_VALUE_COUNT,
                       "客服昵称, 旺旺, 客服账号, 客服, agent, name, "
                       "handle"},
    [KPI_COL_SALES] = {"sales amount", "sales", KPI_VALUE_MONEY,
                       "销售额, 询单成交金额, 客服销售额, 下单金额, "
                       "sales"},
    [KPI_COL_TARGET] = {"sales target", "target", KPI_VALUE_MONEY,
                        "销售目标, 目标销售额, 目标, target"},
    [KPI_COL_INQUIRIES] = {"inquiries", "inquiries", KPI_VALUE_COUNT,
                           "询单人数, 咨询人数, inquiries"},
    [KPI_COL_BUYERS] = {"buyers", "buyers", KPI_VALUE_COUNT,
                        "最终付款人数, 询单成交人数, 最终成团人数, "
                        "下单人数, buyers"},
    [KPI_COL_CONVERSION] = {"conversion", "conversion", KPI_VALUE_PERCENT,
                            "询单->最终付款转化率, 询单转化率, "
                            "咨询转化率, 转化率, conversion"},
    [KPI_COL_RESPONSE] = {"average response time", "response_s",
                          KPI_VALUE_SECONDS,
                          "平均响应时间(秒), 平均响应时长, "
                          "平均人工响应时长, response_s"},
    [KPI_COL_AOV] = {"order value", "aov", KPI_VALUE_MONEY,
                     "客单价, 询单客单价, aov"},
    [KPI_COL_REPLY_RATE] = {"reply rate", "reply_rate", KPI_VALUE_PERCENT,
                            "回复率, 3分钟回复率, 3分钟人工回复率, "
                            "30秒应答率, reply_rate"},
};

/* The built-in names, in the order they win when two columns of one file
 * name the same field (a 千牛 export carries 咨询人数 beside 询单人数:
 * 询单人数 is the one that counts inquiries). Each back end's 客服绩效
 * report names its columns as listed beside it; "kpidesk" marks the names
 * of kpidesk's own sample files and of sheets a lead makes by hand. */
#define QN  "千牛/生意参谋"
#define DD  "抖店 飞鸽"
#define JD  "京东 咚咚"
#define PDD "拼多多"
#define KD  "kpidesk"
static const struct kpi_header_name header_names[] = {
    {KPI_COL_AGENT, "客服昵称", QN ", " DD},
    {KPI_COL_AGENT, "旺旺", QN},
    {KPI_COL_AGENT, "客服旺旺", QN},
    {KPI_COL_AGENT, "子账号", QN},
    {KPI_COL_AGENT, "客服账号", JD ", " PDD},
    {KPI_COL_AGENT, "咚咚账号", JD},
    {KPI_COL_AGENT, "客服名称", DD},
    {KPI_COL_AGENT, "客服", KD},
    {KPI_COL_AGENT, "昵称", KD},
    {KPI_COL_AGENT, "agent", KD},
    {KPI_COL_AGENT, "name", KD},
    {KPI_COL_AGENT, "handle", KD},

    {KPI_COL_SALES, "销售额", QN},
    {KPI_COL_SALES, "询单成交金额", DD},
    {KPI_COL_SALES, "客服销售额", PDD},
    {KPI_COL_SALES, "下单金额", JD},
    {KPI_COL_SALES, "促成金额", JD},
    {KPI_COL_SALES, "付款金额", KD},
    {KPI_COL_SALES, "sales", KD},
    {KPI_COL_SALES, "sales_amount", KD},

    {KPI_COL_TARGET, "销售目标", KD},
    {KPI_COL_TARGET, "目标销售额", KD},
    {KPI_COL_TARGET, "目标", KD},
    {KPI_COL_TARGET, "target", KD},
    {KPI_COL_TARGET, "sales_target", KD},

    {KPI_COL_INQUIRIES, "询单人数", QN ", " DD ", " PDD},
    {KPI_COL_INQUIRIES, "咨询人数", JD},
    {KPI_COL_INQUIRIES, "inquiries", KD},

    {KPI_COL_BUYERS, "最终付款人数", QN},
    {KPI_COL_BUYERS, "询单->最终付款人数", QN},
    {KPI_COL_BUYERS, "询单成交人数", DD},
    {KPI_COL_BUYERS, "最终成团人数", PDD},
    {KPI_COL_BUYERS, "下单人数", JD},
    {KPI_COL_BUYERS, "付款人数", KD},
    {KPI_COL_BUYERS, "buyers", KD},

    {KPI_COL_CONVERSION, "询单->最终付款转化率", QN},
    {KPI_COL_CONVERSION, "询单->最终付款成功率", QN},
    {KPI_COL_CONVERSION, "询单转化率", DD ", " PDD},
    {KPI_COL_CONVERSION, "询单->成团转化率", PDD},
    {KPI_COL_CONVERSION, "咨询转化率", JD},
    {KPI_COL_CONVERSION, "咨询下单转化率", JD},
    {KPI_COL_CONVERSION, "转化率", KD},
    {KPI_COL_CONVERSION, "conversion", KD},
    {KPI_COL_CONVERSION, "conversion_rate", KD},

    {KPI_COL_RESPONSE, "平均响应时间", QN},
    {KPI_COL_RESPONSE, "平均响应", QN},
    {KPI_COL_RESPONSE, "平均响应时长", DD ", " JD},
    {KPI_COL_RESPONSE, "咚咚平均响应时长", JD},
    {KPI_COL_RESPONSE, "平均人工响应时长", PDD},
    {KPI_COL_RESPONSE, "response_s", KD},
    {KPI_COL_RESPONSE, "avg_response", KD},
    {KPI_COL_RESPONSE, "avg_response_s", KD},
    {KPI_COL_RESPONSE, "response", KD},

    {KPI_COL_AOV, "客单价", QN ", " JD ", " PDD},
    {KPI_COL_AOV, "询单客单价", DD},
    {KPI_COL_AOV, "aov", KD},
    {KPI_COL_AOV, "order_value", KD},
    {KPI_COL_AOV, "avg_order_value", KD},

    {KPI_COL_REPLY_RATE, "回复率", QN},
    {KPI_COL_REPLY_RATE, "3分钟回复率", DD},
    {KPI_COL_REPLY_RATE, "3分钟回复率(会话)", DD},
    {KPI_COL_REPLY_RATE, "3分钟人工回复率", PDD ", " JD},
    {KPI_COL_REPLY_RATE, "咚咚首次30秒应答率", JD},
    {KPI_COL_REPLY_RATE, "咚咚30秒应答率", JD},
    {KPI_COL_REPLY_RATE, "30秒应答率", JD},
    {KPI_COL_REPLY_RATE, "reply_rate", KD},
};
#undef QN
#undef DD
#undef JD
#undef PDD
#undef KD

size_t kpi_header_count(void)
{
	return COUNT_OF(header_names);
}

const struct kpi_header_name *kpi_header_at(size_t index)
{
	return index < COUNT_OF(header_names) ? &header_names[index] : NULL;
}

const char *kpi_column_name(enum kpi_column column)
{
	if ((unsigned)column >= KPI_COL_COUNT)
		return NULL;
	return columns[column].what;
}

const char *kpi_column_key(enum kpi_column column)
{
	if ((unsigned)column >= KPI_COL_COUNT)
		return NULL;
	return columns[column].key;
}

const char *kpi_column_headers(enum kpi_column column)
{
	if ((unsigned)column >= KPI_COL_COUNT)
		return NULL;
	return columns[column].headers;
}

enum kpi_value_kind kpi_column_kind(enum kpi_column column)
{
	return columns[column].kind;
}

/* Units a header may carry in brackets, by kind of value (normalised). */
static const char *const money_units[] = {"元",  "¥",   "￥", "yuan",
                                          "cny", "rmb", NULL};
static const char *const count_units[] = {"人", "个", NULL};
static const char *const percent_units[] = {"%", NULL};
static const char *const seconds_units[] = {"秒",   "s",       "sec",
                                            "secs", "seconds", NULL};

static bool unit_fits(int column, const char *unit)
{
	const char *const *units = NULL;

	if (unit[0] == '\0')
		return true;
	if (column == KPI_COL_AGENT)
		return false;
	switch (columns[column].kind) {
	case KPI_VALUE_MONEY:
		units = money_units;
		break;
	case KPI_VALUE_COUNT:
		units = count_units;
		break;
	case KPI_VALUE_PERCENT:
		units = percent_units;
		break;
	case KPI_VALUE_SECONDS:
		units = seconds_units;
		break;
	}
	for (size_t u = 0; units != NULL && units[u] != NULL; u++)
		if (strcmp(units[u], unit) == 0)
			return true;
	return false;
}

static int column_of_key(const char *key)
{
	for (int c = 0; c < KPI_COL_COUNT; c++)
		if (strcmp(columns[c].key, key) == 0)
			return c;
	return -1;
}

/* Whether `candidate` (a table or rulebook name) names the header whose
 * normalised name is `norm` and bracket `unit`; *fits says whether the
 * bracket may stand there: the candidate's own bracket (a qualifier such as
 * 飞鸽's "(会话)", which is no unit), or a unit of the column's kind. */
static bool name_matches(const char *candidate, int column, const char *norm,
                         const char *unit, bool *fits)
{
	char name[256], qualifier[64];

	if (!import_header_normalize(candidate, name, sizeof(name), qualifier,
	                             sizeof(qualifier)) ||
	    strcmp(name, norm) != 0)
		return false;
	*fits = (qualifier[0] != '\0' && strcmp(qualifier, unit) == 0) ||
	        unit_fits(column, unit);
	return true;
}

int kpi_column_match(const struct rulebook *rb, const char *header,
                     size_t *rank, bool *unit_ok)
{
	char norm[256], unit[64];
	size_t position = 0, misfit_rank = 0;
	int misfit = -1;
	bool fits;

	if (rank != NULL)
		*rank = 0;
	if (unit_ok != NULL)
		*unit_ok = true;
	if (!import_header_normalize(header, norm, sizeof(norm), unit,
	                             sizeof(unit)) ||
	    norm[0] == '\0')
		return -1;
	/* The first name that matches with a bracket that fits wins; a name
	 * that matches only with a misfit unit is reported when no other
	 * does. */
	for (size_t k = 0; rb != NULL && k < rb->import_kpi_count; k++) {
		const struct rb_import_names *names = &rb->import_kpi[k];
		int c = column_of_key(names->field);

		for (size_t i = 0; i < names->count; i++, position++) {
			if (c < 0 || !name_matches(names->names[i], c, norm,
			                           unit, &fits))
				continue;
			if (fits) {
				if (rank != NULL)
					*rank = position;
				return c;
			}
			if (misfit < 0) {
				misfit = c;
				misfit_rank = position;
			}
		}
	}
	for (size_t i = 0; i < COUNT_OF(header_names); i++, position++) {
		const struct kpi_header_name *h = &header_names[i];

		if (!name_matches(h->name, (int)h->column, norm, unit, &fits))
			continue;
		if (fits) {
			if (rank != NULL)
				*rank = position;
			return (int)h->column;
		}
		if (misfit < 0) {
			misfit = (int)h->column;
			misfit_rank = position;
		}
	}
	if (misfit >= 0) {
		if (rank != NULL)
			*rank = misfit_rank;
		if (unit_ok != NULL)
			*unit_ok = false;
	}
	return misfit;
}

int kpi_column_of_header(const char *header)
{
	bool unit_ok;
	int c = kpi_column_match(NULL, header, NULL, &unit_ok);

	return unit_ok ? c : -1;
}
