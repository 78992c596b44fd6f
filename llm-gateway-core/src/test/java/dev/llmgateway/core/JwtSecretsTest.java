package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.llmgateway.AuditEvent;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.TokenRejectedException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.auth.JwtAuthenticator;
import dev.llmgateway.core.usage.UsageRecordJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JWT, its parts and the issuer's secret never appear in an exception message, a log line, an
 * audit event, a usage record (its {@code toString()} or its JSON) or any {@code toString()},
 * whether the token is accepted or refused; nor does the token's subject, but in the usage
 * record's JSON (usage is accounted per user).
 */
@Timeout(60)
class JwtSecretsTest {
  private static final String ISSUER = "https://issuer.test";
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final byte[] SECRET =
      "sentinel-secret-5f1d9c3b7a2e4f60-abcdef".getBytes(StandardCharsets.UTF_8);

  private static String token(JWTClaimsSet claims, byte[] secret) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(ISSUER).subject("ann@example.com")
        .claim("org_id", "acme").expirationTime(Date.from(NOW.plusSeconds(600)));
  }

  @Test
  void noTokenOrSecretAppearsAnywhereTheGatewayWrites() {
    MutableClock clock = new MutableClock(NOW);
    InMemoryUsageSink usage = new InMemoryUsageSink();
    List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    JwtAuthenticator jwt = JwtAuthenticator.builder().clock(clock)
        .issuer(ISSUER, issuer -> issuer.hmacSecret(SECRET).audience("llm-gateway"))
        .build();
    List<String> tokens = List.of(
        token(claims().audience("llm-gateway").build(), SECRET), // accepted
        token(claims().audience("llm-gateway").expirationTime(Date.from(NOW.minusSeconds(3600)))
            .build(), SECRET), // expired
        token(claims().audience("elsewhere").build(), SECRET), // wrong audience
        token(claims().audience("llm-gateway").build(),
            "another-secret-of-at-least-32-bytes-xx".getBytes(StandardCharsets.UTF_8)),
        token(claims().issuer("https://evil.test").build(), SECRET),
        "eyJhbGciOiJub25lIn0." + token(claims().build(), SECRET).split("\\.")[1] + ".",
        "sentinel-garbage-token-9d8c7b6a5f4e");
    List<String> written = new ArrayList<>();
    List<String> json = new ArrayList<>();
    List<Object> printed = new ArrayList<>();
    printed.add(jwt);

    try (LogCapture log = new LogCapture();
        Gateway gateway = Gateway.builder().provider(new StubProvider("stub")).clock(clock)
            .authenticator(jwt).usageSink(usage).auditSink(audit::add).logCalls(true)
            .build()) {
      printed.add(gateway);
      for (String token : tokens) {
        Caller caller = Caller.bearerToken(token);
        printed.add(caller);
        Throwable unary = catchThrowable(() -> printed.add(
            gateway.chat(ChatRequest.of("stub/m", "hi"), caller)));
        List<ChatEvent> streamed = ChainTest.events(
            gateway.stream(ChatRequest.of("stub/m", "hi"), caller));
        printed.addAll(streamed);
        for (ChatEvent event : streamed) {
          if (event instanceof ChatEvent.Failed failed) {
            written.add(failed.error().getMessage());
            written.add(failed.error().toString());
          }
        }
        if (unary != null) {
          assertThat(unary).isInstanceOf(TokenRejectedException.class);
          written.add(unary.getMessage());
          written.add(unary.toString());
        }
      }
      clock.advance(Duration.ofSeconds(1));
      for (ILoggingEvent line : log.lines()) {
        written.add(line.getFormattedMessage());
        written.add(String.valueOf(line.getMDCPropertyMap()));
        for (IThrowableProxy t = line.getThrowableProxy(); t != null; t = t.getCause()) {
          written.add(t.getMessage());
        }
      }
    }
    for (UsageRecord record : usage.records()) {
      printed.add(record);
      json.add(UsageRecordJson.toJson(record)); // names the user: usage is accounted per user
    }
    printed.addAll(audit);
    for (Object o : printed) {
      written.add(String.valueOf(o));
    }

    assertThat(printed.stream().filter(ChatResponse.class::isInstance)).hasSize(1);
    assertThat(audit).hasSize(2 * (tokens.size() - 1));
    assertThat(usage.records()).hasSize(2 * tokens.size());
    List<String> forbidden = new ArrayList<>();
    forbidden.add(new String(SECRET, StandardCharsets.UTF_8));
    for (String token : tokens) {
      forbidden.add(token);
      for (String part : token.split("\\.")) {
        if (part.length() > 8) {
          forbidden.add(part);
        }
      }
    }
    for (String text : written) {
      assertThat(text).doesNotContain("ann@example.com");
    }
    written.addAll(json);
    for (String text : written) {
      for (String secret : forbidden) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }
}
