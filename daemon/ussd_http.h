/* USSD adapters on the HTTP server: the form and the JSON callback. */
#ifndef KT_USSD_HTTP_H
#define KT_USSD_HTTP_H

struct evhttp;
struct store;
struct conf;

int	ussd_http_init(struct evhttp *, struct store *, const struct conf *);

#endif
