/* TLS on the http listener: libevent's OpenSSL bufferevents. */
#ifndef KT_HTTP_TLS_H
#define KT_HTTP_TLS_H

struct bufferevent;
struct event_base;
struct conf_http;

int	http_tls_init(const struct conf_http *);
struct bufferevent *http_tls_bev(struct event_base *);
int	http_tls_on(void);
void	http_tls_free(void);

#endif
