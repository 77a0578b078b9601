/* The USSD menu's nodes, as admins edit them. */
#ifndef KT_USSD_MENU_H
#define KT_USSD_MENU_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define USSD_MENU_LABEL_MAX	60	/* characters */
#define USSD_MENU_BODY_MAX	400
#define USSD_MENU_ARGS_MAX	120
#define USSD_MENU_POSITION_MAX	99

/* A node's fields; NULL (or 0 for position) leaves one as it is. */
struct ussd_menu_node {
	const char	*label;
	const char	*label_en;
	const char	*body;
	const char	*body_en;
	const char	*action;	/* makes it an action node */
	const char	*args;
	int		 position;	/* 1..99 */
	int		 is_static;	/* set: back to a static node */
};

/* Why a change was refused (besides -1, a database error). */
enum ussd_menu_refusal {
	USSD_MENU_INVALID = -2,		/* a field is wrong: see why */
	USSD_MENU_TAKEN = -3,		/* the position is taken there */
	USSD_MENU_NO_PARENT = -4
};

int64_t	ussd_menu_add(struct store *, int64_t parent,
	    const struct ussd_menu_node *, char *why, size_t whylen);
int	ussd_menu_set(struct store *, int64_t id,
	    const struct ussd_menu_node *, char *why, size_t whylen);
int	ussd_menu_delete(struct store *, int64_t id);

#endif
