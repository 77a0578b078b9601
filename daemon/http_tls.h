/* TLS on the http listener: libevent's OpenSSL bufferevents. */
#ifndef KT_HTTP_TLS_H
#define KT_HTTP_TLS_H

struct evhttp;
struct conf_http;

int	http_tls_init(struct evhttp *, const struct conf_http *);
int	http_tls_on(void);
void	http_tls_free(void);

#endif
