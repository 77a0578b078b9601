/* kentongan contact ...: one contact's fields as the CLI and CSV set them. */
#ifndef KT_CLI_CONTACT_H
#define KT_CLI_CONTACT_H

#include <stdint.h>

#include "contact.h"
#include "phone.h"

#define CLI_CONTACT_GROUPS_MAX	256	/* "PETANI;IBU" */

/* What to store for a contact; empty text and -1 keep what is there. */
struct cli_contact_row {
	int	line;			/* CSV line, 0 from the command line */
	char	phone[PHONE_MAX];
	char	name[CONTACT_NAME_MAX];
	char	village[CONTACT_NAME_MAX];
	char	language[4];		/* "", "id" or "en" */
	char	groups[CLI_CONTACT_GROUPS_MAX];	/* upper case, ';' between */
	int	opted_out;		/* -1 keep, 0 or 1 */
};

int	cli_contact_groups(const char *in, char *out, size_t len);
int	cli_contact_save(struct store *, const struct cli_contact_row *);
int	cli_contact_join(struct store *, int64_t contact, const char *group,
	    int create);

#endif
