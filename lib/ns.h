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
#define NS_RSM		"http://jabber.org/protocol/rsm"
#define NS_VERSION	"jabber:iq:version"
#define NS_MUC_UNIQUE	"http://jabber.org/protocol/muc#unique"
#define NS_SELF_PING_OPT "http://jabber.org/protocol/muc#self-ping-optimization"
#define NS_VCARD	"vcard-temp"
#define NS_COMMANDS	"http://jabber.org/protocol/commands"
/* What only the room may say (hygiene.c). */
#define NS_LEGACY_DELAY	"jabber:x:delay"
#define NS_SID		"urn:xmpp:sid:0"
#define NS_OCCUPANT_ID	"urn:xmpp:occupant-id:0"
#define NS_HATS		"urn:xmpp:hats:0"
#define NS_ADDRESS	"http://jabber.org/protocol/address"
#define NS_RETRACT	"urn:xmpp:message-retract:1"
#define NS_MODERATE	"urn:xmpp:message-moderate:1"
#define NS_MODERATE_0	"urn:xmpp:message-moderate:0"
#define NS_FASTEN	"urn:xmpp:fasten:0"
/* The archive (archive.c, mam.c, moderate.c). */
#define NS_MAM		"urn:xmpp:mam:2"
#define NS_MAM_EXTENDED	"urn:xmpp:mam:2#extended"
#define NS_RSM		"http://jabber.org/protocol/rsm"
#define NS_FORWARD	"urn:xmpp:forward:0"
#define NS_HINTS	"urn:xmpp:hints"
#define NS_XDATA_VALIDATE "http://jabber.org/protocol/xdata-validate"
#define NS_RETRACT_TOMBSTONE "urn:xmpp:message-retract:1#tombstone"

#endif /* NS_H */
