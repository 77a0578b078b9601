/* Contacts: everyone who ever texted us, with their choices. */
#ifndef KT_CONTACT_H
#define KT_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "csvin.h"
#include "group.h"
#include "phone.h"

struct store;

#define CONTACT_NAME_MAX	48

/* What to store for a contact; empty text and -1 keep what is there. */
struct contact_row {
	int	line;			/* CSV line, 0 from the command line */
	char	phone[PHONE_MAX];
	char	name[CONTACT_NAME_MAX];
	char	village[CONTACT_NAME_MAX];
	char	language[4];		/* "", "id" or "en" */
	char	groups[GROUP_NAMES_MAX];	/* upper case, ';' between */
	int	opted_out;		/* -1 keep, 0 or 1 */
};

int64_t	contact_ensure(struct store *, const char *phone);
int64_t	contact_find(struct store *, const char *phone);
int	contact_set(struct store *, int64_t id, const char *column,
	    const char *value);
int	contact_set_int(struct store *, int64_t id, const char *column,
	    int value);
int	contact_set_reporter(struct store *, const char *phone, int on);
int	contact_get_int(struct store *, int64_t id, const char *column);
int	contact_get_text(struct store *, int64_t id, const char *column,
	    char *buf, size_t len);
int	contact_save(struct store *, const struct contact_row *);
int	contact_remove(struct store *, const char *phone, char *events,
	    size_t len);
/* The columns of a contacts CSV file (csvin.h), and their row check. */
enum { CONTACT_CSV_PHONE, CONTACT_CSV_NAME, CONTACT_CSV_VILLAGE,
    CONTACT_CSV_GROUPS, CONTACT_CSV_LANGUAGE, CONTACT_CSV_OPTED_OUT,
    CONTACT_CSV_N };
#define CONTACT_CSV_COLUMNS "need phone; name, village, language, groups " \
	"and opted_out are optional"
extern const struct csvin_column contact_csv_cols[CONTACT_CSV_N];
int	contact_csv_check(struct contact_row *, struct csvin_reader *,
	    const int *col, const char *country_code, char *why, size_t len);
void	contact_clean(const char *in, size_t inlen, char *out, size_t outlen);

#endif
