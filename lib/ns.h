/*
 * ns.h - the XML namespaces mucd speaks.
 */
#ifndef NS_H
#define NS_H

#define NS_CLIENT	"jabber:client"
#define NS_MUC		"http://jabber.org/protocol/muc"
#define NS_MUC_USER	"http://jabber.org/protocol/muc#user"
#define NS_MUC_ADMIN	"http://jabber.org/protocol/muc#admin"
#define NS_MUC_OWNER	"http://jabber.org/protocol/muc#owner"
#define NS_MUC_ROOMCONFIG "http://jabber.org/protocol/muc#roomconfig"
#define NS_MUC_ROOMINFO	"http://jabber.org/protocol/muc#roominfo"
#define NS_MUC_REGISTER	"http://jabber.org/protocol/muc#register"
#define NS_MUC_REQUEST	"http://jabber.org/protocol/muc#request"
#define NS_DISCO_INFO	"http://jabber.org/protocol/disco#info"
#define NS_DISCO_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_REGISTER	"jabber:iq:register"
#define NS_DATA		"jabber:x:data"
#define NS_CONFERENCE	"jabber:x:conference"
#define NS_DELAY	"urn:xmpp:delay"
#define NS_STANZAS	"urn:ietf:params:xml:ns:xmpp-stanzas"
#define NS_PING		"urn:xmpp:ping"
#define NS_VERSION	"jabber:iq:version"
#define NS_VCARD	"vcard-temp"

#endif /* NS_H */
