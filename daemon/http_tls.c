/*
 * TLS on the http listener, when the http group names tls_cert and
 * tls_key: every connection evhttp accepts gets an OpenSSL bufferevent
 * (evhttp_set_bevcb), so the API, the USSD callbacks and the console are
 * all served over TLS 1.2 or newer, and only so.  The files are read once
 * at start-up; a bad certificate or key stops the daemon with the reason.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>

#include "conf.h"
#include "http_tls.h"
#include "log.h"

static SSL_CTX	*http_tls_ctx;

/*
 * A new connection's bufferevent, its socket wrapped in TLS as the server
 * side; NULL when it cannot be made.  http.c's connection tracking calls
 * it, so the connection cap and deadlines hold under TLS too.
 */
struct bufferevent *
http_tls_bev(struct event_base *base)
{
	struct bufferevent	*bev;
	SSL			*ssl;

	if ((ssl = SSL_new(http_tls_ctx)) == NULL)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		SSL_free(ssl);
		return NULL;
	}
	/* Browsers often close without a TLS close_notify. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

/* Log OpenSSL's reason for a failure, once, with what we were doing. */
static int
http_tls_fail(const char *what, const char *path)
{
	char buf[256];

	ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
	log_warnx("http: %s %s: %s", what, path, buf);
	ERR_clear_error();
	return -1;
}

/* Get TLS ready for the listener when the configuration asks for it. */
int
http_tls_init(const struct conf_http *h)
{
	if (h->tls_cert[0] == '\0')
		return 0;
	if ((http_tls_ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return http_tls_fail("cannot set up TLS for", h->listen);
	SSL_CTX_set_min_proto_version(http_tls_ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(http_tls_ctx, SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_use_certificate_chain_file(http_tls_ctx, h->tls_cert) !=
	    1)
		return http_tls_fail("tls_cert", h->tls_cert);
	if (SSL_CTX_use_PrivateKey_file(http_tls_ctx, h->tls_key,
	    SSL_FILETYPE_PEM) != 1)
		return http_tls_fail("tls_key", h->tls_key);
	if (SSL_CTX_check_private_key(http_tls_ctx) != 1)
		return http_tls_fail("tls_key does not match", h->tls_cert);
	log_info("http: TLS with %s", h->tls_cert);
	return 0;
}

/* Tell whether the listener speaks TLS (cookies are then Secure). */
int
http_tls_on(void)
{
	return http_tls_ctx != NULL;
}

/* Forget the TLS context (after the listener is freed). */
void
http_tls_free(void)
{
	SSL_CTX_free(http_tls_ctx);
	http_tls_ctx = NULL;
}
