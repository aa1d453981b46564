/**
 * W3C Web of Things: a Thing Description 1.1 for each meter, built from its config and points
 * ({@code ThingDescription}, property keys from display names in {@code PropertyKeys}, writable points as their
 * profile marks them), and the routes of {@code /api/things} that serve it: the directory, the TDs, reading,
 * observing and writing properties, and the {@code alert} and {@code status} events (docs/api.md,
 * "Thing Descriptions (W3C WoT)"). The streams themselves are the {@code sse} package's.
 */
package io.edgegateway.wot;
