/* The HTTP API, health check and metrics, served on the loop by evhttp. */
#ifndef KT_HTTP_H
#define KT_HTTP_H

struct event_base;
struct store;
struct evhttp;
struct conf;
struct evhttp_request;

int	http_init(struct event_base *, struct store *, const struct conf *);
void	http_free(void);
struct evhttp *http_server(void);
int	http_token_ok(const char *header, const char *token);
void	http_served(struct evhttp_request *);
int	http_stream(struct evhttp_request *, void (*closed)(void *),
	    void *arg);

/*
 * Token guessing, counted per peer for the API and the USSD callbacks
 * alike: http_guessing answers 429 (returns 1) while a peer is over the
 * limit; http_guess_failed counts one wrong token.
 */
int	http_guessing(struct evhttp_request *);
void	http_guess_failed(struct evhttp_request *);

#endif
