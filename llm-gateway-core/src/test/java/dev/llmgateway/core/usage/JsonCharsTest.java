package dev.llmgateway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Deployment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * The usage record's JSON form writes timestamps and deployments from a scratch array exactly as
 * {@link Instant#toString()} and {@link Deployment#toString()} print them: on the edges of the
 * years it handles, on every width of fraction, and on 200,000 seeded random instants; outside
 * those years it says so and the writer falls back to {@code toString}.
 */
@Timeout(60)
class JsonCharsTest {
  private final char[] scratch = new char[JsonChars.SCRATCH];

  private String written(Instant t) {
    int length = JsonChars.instant(t, scratch);
    return length < 0 ? null : new String(scratch, 0, length);
  }

  @Test
  void writesInstantsAsToStringOnTheEdges() {
    for (String text : new String[] {"0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.100Z", "2024-02-29T23:59:59.120Z",
        "2026-12-07T06:55:04.000120Z", "2100-03-01T00:00:00.000000001Z", "9999-12-31T23:59:59Z",
        "0001-03-01T01:02:03Z", "1600-02-29T00:00:00Z"}) {
      Instant t = Instant.parse(text);
      assertThat(written(t)).isEqualTo(t.toString()).isEqualTo(text);
    }
  }

  @Test
  void writesRandomInstantsAsToString() {
    Random random = new Random(1207);
    long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long end = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
    int[] scales = {1, 1_000, 1_000_000, 1_000_000_000};
    for (int i = 0; i < 200_000; i++) {
      long seconds = first + (long) (random.nextDouble() * (end - first));
      int scale = scales[random.nextInt(scales.length)];
      int nanos = scale == 1_000_000_000 ? 0 : random.nextInt(1_000_000_000 / scale) * scale;
      Instant t = Instant.ofEpochSecond(seconds, nanos);
      assertThat(written(t)).as("%s", t).isEqualTo(t.toString());
    }
  }

  @Test
  void saysNoOutsideTheYearsItWrites() {
    assertThat(written(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
    assertThat(written(Instant.parse("-0001-12-31T23:59:59Z"))).isNull();
    assertThat(written(Instant.MAX)).isNull();
    assertThat(written(Instant.MIN)).isNull();
  }

  @Test
  void writesCostsAsToPlainStringOrSaysItDoesNot() {
    Random random = new Random(2509);
    String[] edges = {"0", "0.0", "0.000", "1", "10", "0.1", "0.000125", "12.50", "0.016",
        "999999999999999999", "0.999999999999999999", "123456789.123456789", "1E-20"};
    for (String text : edges) {
      BigDecimal amount = new BigDecimal(text);
      assertThat(plain(amount)).as(text).isEqualTo(amount.toPlainString());
    }
    int written = 0;
    for (int i = 0; i < 100_000; i++) {
      BigDecimal amount = BigDecimal.valueOf((random.nextLong() >>> 1) >>> random.nextInt(63),
          random.nextInt(30) - 3);
      String text = plain(amount);
      if (text != null) {
        assertThat(text).as("%s", amount).isEqualTo(amount.toPlainString());
        written++;
      } else {
        assertThat(amount.scale() < 0 || amount.precision() > 18).as("%s", amount).isTrue();
      }
    }
    assertThat(written).isGreaterThan(50_000);
    assertThat(plain(new BigDecimal("-1.5"))).isNull();
    assertThat(plain(new BigDecimal("1E+3"))).isNull();
  }

  private @Nullable String plain(BigDecimal amount) {
    int length = JsonChars.plain(amount, scratch);
    return length < 0 ? null : new String(scratch, 0, length);
  }

  @Test
  void writesDeploymentsAsToStringOrSaysTheyDoNotFit() {
    Deployment d = new Deployment("openrouter", "meta-llama/llama-3.1-70b");
    int length = JsonChars.deployment(d, scratch);
    assertThat(new String(scratch, 0, length)).isEqualTo(d.toString());
    Deployment big = new Deployment("p", "m".repeat(JsonChars.SCRATCH));
    assertThat(JsonChars.deployment(big, scratch)).isEqualTo(-1);
  }
}
