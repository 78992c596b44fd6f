/**
 * Built-in authenticators for the gateway's authentication step ({@link
 * dev.llmgateway.core.GatewayBuilder#authenticator}): {@link
 * dev.llmgateway.core.auth.JwtAuthenticator} checks bearer tokens (JWTs) of configured issuers.
 */
@NullMarked
package dev.llmgateway.core.auth;

import org.jspecify.annotations.NullMarked;
