/*
 * hats_cmd.c - the commands of a room (XEP-0050 on the room JID).
 *
 * XEP-0317's hat commands belong here; none is implemented yet, so a
 * room lists no commands and every command node is item-not-found.
 */
#include "adhoc.h"

const struct adhoc_table hats_table = { NULL, 0 };
