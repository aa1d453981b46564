/**
 * The live web dashboard: its files served from the jar at {@code /} ({@link io.edgegateway.web.Dashboard}), with
 * Chart.js from its WebJar, and the page a browser gets instead of a JSON 401 when access tokens are on and it
 * has none ({@link io.edgegateway.web.SignInPage}). The page itself ({@code resources/web/}) is plain HTML, CSS
 * and JavaScript fed by {@code /api/sse/meters} and {@code /api/sse/clients}; the device needs no build step.
 */
package io.edgegateway.web;
