/* Prometheus text-format metrics, read from the database on demand. */
#ifndef KT_METRICS_H
#define KT_METRICS_H

struct evbuffer;
struct store;
struct conf;

void	metrics_http_count(int code);
int	metrics_write(struct store *, const struct conf *, struct evbuffer *);

#endif
