package dev.llmgateway.core.internal.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.llmgateway.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Makes the principal of a verified token by the configured claim names. Its key id is the token's
 * {@code jti} when it has a short one, else {@code jwt-} and 16 hex digits of the SHA-256 of
 * issuer, {@code kid} and {@code sub} — never the token, and never the subject in the clear (a
 * principal prints its key id). The issuer goes into the attribute {@code iss}. A claim of another
 * shape than the mapping expects leaves its part unset.
 */
final class ClaimsToPrincipal {
  private static final int MAX_JTI = 128;

  private final JwtVerifier.ClaimNames names;

  ClaimsToPrincipal(JwtVerifier.ClaimNames names) {
    this.names = names;
  }

  Principal principal(String issuer, JWSHeader header, JWTClaimsSet claims) {
    Principal.Builder p = Principal.builder()
        .org(text(claims, names.org()))
        .project(text(claims, names.project()))
        .user(text(claims, names.user()))
        .team(team(claims))
        .keyId(keyId(issuer, header, claims));
    Set<String> scopes = new LinkedHashSet<>();
    for (String claim : names.scopes()) {
      Object value = claims.getClaim(claim);
      if (value instanceof String s) {
        for (String scope : s.trim().split(" +")) {
          if (!scope.isEmpty()) {
            scopes.add(scope);
          }
        }
      } else {
        scopes.addAll(texts(value));
      }
    }
    p.scopes(scopes.toArray(String[]::new));
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String claim : names.attributes()) {
      Object value = claims.getClaim(claim);
      String text = value instanceof List<?> ? String.join(",", texts(value)) : scalar(value);
      if (text != null) {
        attributes.put(claim, text);
      }
    }
    attributes.put("iss", issuer);
    attributes.forEach(p::attribute);
    return p.build();
  }

  private @Nullable String team(JWTClaimsSet claims) {
    if (names.team() == null) {
      return null;
    }
    Object value = claims.getClaim(names.team());
    if (value instanceof List<?>) {
      List<String> teams = texts(value);
      return teams.isEmpty() ? null : names.teamChooser().apply(teams);
    }
    return scalar(value);
  }

  private static @Nullable String text(JWTClaimsSet claims, @Nullable String name) {
    return name == null ? null : scalar(claims.getClaim(name));
  }

  private static @Nullable String scalar(@Nullable Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? value.toString() : null;
  }

  private static List<String> texts(@Nullable Object value) {
    List<String> texts = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        String text = scalar(item);
        if (text != null) {
          texts.add(text);
        }
      }
    }
    return texts;
  }

  private static String keyId(String issuer, JWSHeader header, JWTClaimsSet claims) {
    String jti = claims.getJWTID();
    if (jti != null && !jti.isEmpty() && jti.length() <= MAX_JTI
        && jti.chars().noneMatch(Character::isISOControl)) {
      return jti;
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    String subject = claims.getSubject();
    String kid = header.getKeyID();
    byte[] hash = sha.digest((issuer + '\n' + (kid == null ? "" : kid) + '\n'
        + (subject == null ? "" : subject)).getBytes(StandardCharsets.UTF_8));
    return "jwt-" + HexFormat.of().formatHex(hash, 0, 8);
  }
}
