/* Words of the documents made for others (the payroll CSV and workbook):
 * English keys as msgids, Chinese from the message catalogue (domain
 * "kpidesk", po/zh_CN.po) under a Chinese locale. The program binds the
 * catalogue (tui_i18n_init) before it writes them. */
#ifndef KPIDESK_REPORT_L10N_H
#define KPIDESK_REPORT_L10N_H

#include <libintl.h>
#include <stdbool.h>
#include <string.h>

#define REPORT_DOMAIN "kpidesk"
#define N_(s)         (s)
#define _(s)          dgettext(REPORT_DOMAIN, (s))

/* True when the catalogue in force speaks Chinese: the payroll's "tier"
 * header is translated. Tier columns then show the rulebook's labels
 * (初级客服), else its keys (junior), so a file never mixes languages. */
static inline bool report_chinese(void)
{
	return strcmp(_("tier"), "tier") != 0;
}

#endif
