/**
 * What a DLMS meter keeps in its own memory, read on its bus thread as line tasks: Profile Generic buffers (load
 * profiles and event logs) caught up from the last stored row, each row stored and streamed once; and the meter's
 * clock, its drift shown and optionally corrected.
 */
package io.edgegateway.loadprofile;
