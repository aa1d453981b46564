/**
 * DLMS push: the unsolicited Data-Notification (tag 0x0F) a meter sends when its Push setup (class 40) fires,
 * carried plain or inside general-glo-ciphering (0xDB). {@link io.edgegateway.dlms.push.PushDecoder} takes the
 * bytes of one APDU and either gives the notification and its sender or refuses it with a reason (unknown system
 * title, unauthenticated, tag that does not verify, replayed invocation counter, malformed);
 * {@link io.edgegateway.dlms.push.PushLayout} maps the notification's values, positionally, to the points of the
 * meter's push_object_list. Codecs only: no sockets here.
 */
package io.edgegateway.dlms.push;
