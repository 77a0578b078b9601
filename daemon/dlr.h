/* Delivery reports: settle sent outbox rows as delivered or failed. */
#ifndef KT_DLR_H
#define KT_DLR_H

struct store;
struct wire_report;

int	dlr_apply(struct store *, const char *modem, const struct wire_report *);

#endif
