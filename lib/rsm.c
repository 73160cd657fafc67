/*
 * rsm.c - reading an XEP-0059 <set/> and writing the answer's (rsm.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "muc.h"
#include "rsm.h"

void
rsm_free(struct rsm *r)
{
	free(r->bound);
	r->bound = NULL;
}

/* The number of <max/> into *n: 0, or -1 when it is not one. */
static int
rsm_max(xmpp_stanza_t *set, size_t *n, int *nomem)
{
	char		*text, *end;
	unsigned long	 v;
	int		 rc = 0;

	if (st_child_text(set, "max", &text) != MUC_OK) {
		*nomem = 1;
		return -1;
	}
	if (text == NULL)
		return 0;
	v = strtoul(text, &end, 10);
	if (text[0] == '\0' || text[0] == '-' || *end != '\0')
		rc = -1;
	else
		*n = v;
	free(text);
	return rc;
}

const char *
rsm_read(xmpp_stanza_t *q, size_t def, size_t cap, size_t unasked,
    struct rsm *r)
{
	xmpp_stanza_t	*set = st_child(q, "set", NS_RSM), *e;
	char		*text;
	int		 nomem = 0, zero;

	memset(r, 0, sizeof(*r));
	r->max = unasked;
	if (set == NULL)
		return NULL;
	r->asked = 1;
	r->max = def;
	if (rsm_max(set, &r->max, &nomem) != 0)
		return nomem ? "internal-server-error" : "bad-request";
	if (r->max > cap)
		r->max = cap;
	if ((e = st_child(set, "index", NULL)) != NULL) {
		if (st_text(e, &text) != MUC_OK)
			return "internal-server-error";
		zero = strcmp(text, "0") == 0;
		free(text);
		return zero ? NULL : "feature-not-implemented";
	}
	if ((e = st_child(set, "before", NULL)) == NULL &&
	    (e = st_child(set, "after", NULL)) == NULL)
		return NULL;
	r->backward = strcmp(xmpp_stanza_get_name(e), "before") == 0;
	if (st_text(e, &r->bound) != MUC_OK)
		return "internal-server-error";
	if (r->bound[0] == '\0')
		rsm_free(r);		/* <before/>: the end; <after/>: start */
	return NULL;
}

void
rsm_write(struct xtext *x, const char *first, const char *last, long index,
    size_t count)
{
	char	num[24];

	xt_raw(x, "<set xmlns=\"" NS_RSM "\">");
	if (first != NULL && last != NULL) {
		xt_raw(x, "<first");
		if (index >= 0) {
			snprintf(num, sizeof(num), "%ld", index);
			xt_attr(x, "index", num);
		}
		xt_raw(x, ">");
		xt_text(x, first);
		xt_raw(x, "</first><last>");
		xt_text(x, last);
		xt_raw(x, "</last>");
	}
	snprintf(num, sizeof(num), "%zu", count);
	xt_raw(x, "<count>");
	xt_raw(x, num);
	xt_raw(x, "</count></set>");
}

void
rsm_page(struct xtext *x, const struct rsm_list *l, const struct rsm *r,
    long index, size_t count)
{
	size_t	lo = 0, hi = l->n, bytes = 0, i;

	if (!r->backward)
		for (hi = 0; hi < l->n && (hi == 0 ||
		    bytes + l->size(l->ud, l->item[hi]) <= LIST_BYTES_MAX); hi++)
			bytes += l->size(l->ud, l->item[hi]);
	else
		for (lo = l->n; lo > 0 && (lo == l->n ||
		    bytes + l->size(l->ud, l->item[lo - 1]) <= LIST_BYTES_MAX); lo--)
			bytes += l->size(l->ud, l->item[lo - 1]);
	for (i = lo; i < hi; i++)
		l->write(l->ud, x, l->item[i]);
	if (!r->asked && hi - lo == count)
		return;
	rsm_write(x, hi > lo ? l->uid(l->item[lo]) : NULL,
	    hi > lo ? l->uid(l->item[hi - 1]) : NULL,
	    index >= 0 ? index + (long)lo : -1, count);
}
