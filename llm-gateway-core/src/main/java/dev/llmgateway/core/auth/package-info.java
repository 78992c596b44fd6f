/**
 * Who may call: the built-in API-key authenticator with its runtime admin API ({@link
 * dev.llmgateway.core.auth.ApiKeys}, stored through a {@link dev.llmgateway.core.auth.KeyStore},
 * in memory by default), composite authenticators ({@link
 * dev.llmgateway.core.auth.Authenticators}), and which kinds of caller a gateway accepts ({@link
 * dev.llmgateway.core.auth.CallerPolicy}, set with {@code GatewayBuilder.callers}); and {@link
 * dev.llmgateway.core.auth.JwtAuthenticator}, which checks bearer tokens (JWTs) of configured
 * issuers.
 */
@NullMarked
package dev.llmgateway.core.auth;

import org.jspecify.annotations.NullMarked;
