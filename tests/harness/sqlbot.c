/*
 * sqlbot.c - the operator at the database, as an XMPP client for tests.
 *
 * Scansion scripts can only send and receive stanzas, yet mucd promises
 * that an operator's SQL takes effect in the rooms while clients watch.
 * So run-suite.sh starts this bot beside mucd for scripts that say
 * "## needs: operator": it logs in as sqlbot@DOMAIN/bot, runs the body of
 * every chat message it receives as SQL on mucd's database (another
 * connection, exactly as an operator's sqlite3 shell would be) and answers
 * the sender with "done", or "error: " and SQLite's message.  A script then
 * reads like an operator's session:
 *
 *	Operator sends:
 *		<message to='sqlbot@localhost/bot' type='chat'>
 *			<body>UPDATE rooms SET moderated = 1 WHERE name = 'room'</body>
 *		</message>
 *	Operator receives:
 *		<message from='sqlbot@localhost/bot'><body>done</body></message>
 *
 * usage: sqlbot --host H --port P --domain D --db FILE
 * It sends no presence (full-JID messages need none) and runs until
 * SIGTERM or SIGINT, or until the server closes its stream.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "client.h"
#include "xnode.h"

static volatile sig_atomic_t	quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* Append s to buf (size len) with XML escaping; truncates. */
static void
escape_into(char *buf, size_t len, const char *s)
{
	size_t	o = strlen(buf);
	const char *rep;

	for (; *s != '\0' && o + 7 < len; s++) {
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\'': rep = "&apos;"; break;
		case '"': rep = "&quot;"; break;
		default: buf[o++] = *s; buf[o] = '\0'; continue;
		}
		strcpy(buf + o, rep);
		o += strlen(rep);
	}
}

/* Answer `to` with a chat message whose body is text. */
static void
reply(struct client *c, const char *to, const char *text)
{
	char		  xml[4096] = "<message type='chat' to='";
	struct xnode	**nodes = NULL;
	size_t		  n = 0;
	char		  why[256];
	int		  line;

	escape_into(xml, sizeof(xml), to);
	strcat(xml, "'><body>");
	escape_into(xml, sizeof(xml) - 32, text);
	strcat(xml, "</body></message>");
	if (xnode_parse_block(xml, &nodes, &n, &line, why, sizeof(why)) != 0 || n != 1 ||
	    client_send(c, nodes[0], why, sizeof(why)) != 0)
		fprintf(stderr, "sqlbot: cannot answer %s: %s\n", to, why);
	xnode_free_list(nodes, n);
}

/* The first <body/> child's text of a message, malloc'd, or NULL. */
static char *
body_of(const struct xnode *m)
{
	size_t	i;

	for (i = 0; i < m->nkids; i++)
		if (m->kids[i]->name != NULL &&
		    strcmp(m->kids[i]->name, "body") == 0)
			return xnode_text(m->kids[i]);
	return NULL;
}

static void
handle(struct client *c, sqlite3 *db, struct xnode *m)
{
	const struct xattr	*from = xnode_attr(m, "", "from");
	const struct xattr	*type = xnode_attr(m, "", "type");
	char			*sql, *err = NULL, answer[1024];

	if (m->name == NULL || strcmp(m->name, "message") != 0 || from == NULL ||
	    (type != NULL && strcmp(type->value, "error") == 0) ||
	    (sql = body_of(m)) == NULL)
		return;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		snprintf(answer, sizeof(answer), "done");
	else
		snprintf(answer, sizeof(answer), "error: %s",
		    err != NULL ? err : sqlite3_errmsg(db));
	fprintf(stderr, "sqlbot: %s -> %s\n", sql, answer);
	sqlite3_free(err);
	free(sql);
	reply(c, from->value, answer);
}

int
main(int argc, char **argv)
{
	const char	*host = "127.0.0.1", *domain = "localhost", *dbpath = NULL;
	int		 port = 5222, i, rc = 1;
	char		 jid[512], why[512];
	xmpp_ctx_t	*ctx = NULL;
	struct client	 c;
	struct xnode	*m;
	sqlite3		*db = NULL;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--host") == 0)
			host = argv[i + 1];
		else if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--domain") == 0)
			domain = argv[i + 1];
		else if (strcmp(argv[i], "--db") == 0)
			dbpath = argv[i + 1];
		else
			break;
	}
	if (i != argc || dbpath == NULL || port <= 0) {
		fprintf(stderr, "usage: sqlbot --host H --port P --domain D --db FILE\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 5000) != SQLITE_OK) {
		fprintf(stderr, "sqlbot: %s: %s\n", dbpath,
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	xmpp_initialize();
	snprintf(jid, sizeof(jid), "sqlbot@%s", domain);
	if ((ctx = xmpp_ctx_new(NULL, NULL)) == NULL ||
	    client_init(&c, ctx, "sqlbot", jid, "sqlbot", "bot", 0) != 0) {
		fprintf(stderr, "sqlbot: out of memory\n");
		goto done;
	}
	if (client_connect(&c, host, port, 10.0, why, sizeof(why)) != 0) {
		fprintf(stderr, "sqlbot: cannot log in as %s/bot: %s\n", jid, why);
		client_release(&c);
		goto done;
	}
	fprintf(stderr, "sqlbot: ready as %s\n", c.full_jid);
	while (!quit && c.state == CLIENT_READY) {
		client_pump(ctx, 0.1);
		while ((m = client_inbox_pop(&c)) != NULL) {
			handle(&c, db, m);
			xnode_free(m);
		}
	}
	client_disconnect(&c);
	client_release(&c);
	rc = 0;
done:
	if (ctx != NULL)
		xmpp_ctx_free(ctx);
	sqlite3_close(db);
	return rc;
}
