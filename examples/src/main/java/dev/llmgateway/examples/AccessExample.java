package dev.llmgateway.examples;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.auth.ApiKeys;
import dev.llmgateway.core.auth.Authenticators;
import dev.llmgateway.core.auth.JwtAlgorithm;
import dev.llmgateway.core.auth.JwtAuthenticator;
import dev.llmgateway.core.auth.KeySpec;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Access control for two teams: {@code support} may call only the {@code cheap} alias, with at
 * most 1,000 output tokens and no tools; {@code research} may call anything but Anthropic's
 * models, so its calls to {@code smart} skip Claude (the decision trail says which rule took it
 * out). A gateway-wide rule denies one model to everyone. Each team calls with its own API key
 * (the built-in {@link ApiKeys}); an analyst signs in through the company's identity provider and
 * calls with a JWT ({@link JwtAuthenticator}, its {@code groups} claim naming the team), the same
 * gateway accepting both ({@link Authenticators#byCredential}); a service of the host application
 * calls with a {@link Principal} it authenticated itself. Refusals name the rule and what to
 * change, never the key or the token. Offline: the providers are fakes, the token is signed
 * here.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.AccessExample}
 */
public final class AccessExample {
  private AccessExample() {}

  public static void main(String[] args) {
    FakeProvider openai = FakeProvider.builder().name("openai").build();
    FakeProvider anthropic = FakeProvider.builder().name("anthropic").build();
    openai.onAnyModel().alwaysReply(r -> "Answer from " + r.model());
    anthropic.onAnyModel().alwaysReply(r -> "Answer from " + r.model());

    // One API key per team: the raw keys are shown once, here, and never printed.
    ApiKeys keys = ApiKeys.builder().build();
    Caller support = keys.create(KeySpec.of(Principal.builder().org("acme").team("support")
        .build()), "example").caller();
    Caller research = keys.create(KeySpec.of(Principal.builder().org("acme").team("research")
        .build()), "example").caller();

    // The identity provider's signing secret (HS256 here; RS256/ES256 keys, a JWKS URL or OIDC
    // discovery in production) and a token it issued to an analyst of the research team.
    byte[] idpSecret = "an-example-secret-of-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8);
    JwtAuthenticator tokens = JwtAuthenticator.builder()
        .issuer("https://idp.example.com", i -> i.hmacSecret(idpSecret)
            .algorithms(JwtAlgorithm.HS256))
        .build();
    Caller analyst = Caller.bearerToken(token(idpSecret, "research"));

    AccessPolicy policy = AccessPolicy.builder()
        .everyone(AccessRule.builder("no-o1-pro").denyModels("o1-pro*").build())
        .team("support", AccessRule.builder("support-cheap-only")
            .allowAliases("cheap").maxOutputTokens(1_000).features().build())
        .team("research", AccessRule.builder("research-no-anthropic")
            .denyProviders("anthropic").build())
        .org("acme", AccessRule.builder("acme").build())
        .build();

    try (Gateway gateway = Gateway.builder()
        .provider(openai)
        .provider(anthropic)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
        .alias("cheap", Route.fallback("openai/gpt-4.1-mini"))
        .authenticator(Authenticators.byCredential(keys, tokens))
        .access(policy)
        .build()) {

      Principal service = Principal.builder().org("acme").team("batch-jobs").build();

      call(gateway, "support", ChatRequest.of("cheap", "Reset my password"), support);
      call(gateway, "support", ChatRequest.of("smart", "Write a poem"), support);
      call(gateway, "support", ChatRequest.builder("cheap").user("Summarise this")
          .maxOutputTokens(4_000).build(), support);
      call(gateway, "research", ChatRequest.of("smart", "Compare two papers"), research);
      call(gateway, "research", ChatRequest.of("anthropic/claude-opus-4-1", "Hi"), research);
      call(gateway, "analyst (JWT)", ChatRequest.of("smart", "Find related work"), analyst);
      call(gateway, "analyst (JWT)", ChatRequest.of("anthropic/claude-sonnet-4-5", "Hi"),
          analyst);
      call(gateway, "service", ChatRequest.of("smart", "Nightly digest"), service);
      call(gateway, "service", ChatRequest.of("openai/o1-pro", "Nightly digest"), service);
    }
  }

  /** A token as the identity provider would issue it: an hour long, naming the team. */
  private static String token(byte[] secret, String team) {
    try {
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.example.com")
          .subject("analyst-7").claim("org_id", "acme").claim("groups", List.of(team))
          .expirationTime(Date.from(Instant.now().plusSeconds(3_600))).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the example's token", e);
    }
  }

  private static void call(Gateway gateway, String who, ChatRequest request, Caller caller) {
    try {
      ChatResponse answer = gateway.chat(request, caller);
      System.out.println(who + " -> " + request.model() + ": " + answer.text() + "\n    "
          + answer.routing().explain());
    } catch (AccessDeniedException e) {
      System.out.println(who + " -> " + request.model() + ": refused by '" + e.rule() + "'\n    "
          + e.getMessage());
    }
  }
}
