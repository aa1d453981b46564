/**
 * Device profiles: named sets of points for a meter or PLC model, kept as YAML data (shipped in the jar under
 * {@code profiles/} or loaded from a directory) so that a new meter needs a file, not code.
 *
 * <p>{@link io.edgegateway.profile.ConfigNode} reads any of our YAML files strictly and reports problems as
 * file, key and what is wrong; the gateway's own config uses it too.
 */
package io.edgegateway.profile;
