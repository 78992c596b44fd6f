package dev.llmgateway.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Usage;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Exact cost arithmetic of {@link Price}, on prices made by hand; every expected figure is worked
 * out in the comment above it, in dollars per million tokens, then divided by 1,000,000.
 */
class PriceTest {

  private static Usage usage(long input, long output, long cached, long written, long written1h,
      long reasoning) {
    return new Usage(input, output, cached, written, written1h, reasoning, false);
  }

  @Test
  void openAiShapeBillsCachedPromptAndCountsReasoningAsOutput() {
    Price price = Price.perMillion("2.00", "8.00").cachedInput("0.50");
    // prompt 12,345 of which 2,048 cached; completion 1,234 of which 456 reasoning
    Usage usage = usage(12_345, 1_234, 2_048, 0, 0, 456);

    // 10,297 x 2.00 = 20,594 + 2,048 x 0.50 = 1,024 + 1,234 x 8.00 = 9,872 -> 31,490 / 1e6
    assertThat(price.cost(usage)).isEqualByComparingTo("0.03149");
  }

  @Test
  void aReasoningRateBillsReasoningTokensApart() {
    Price price = Price.perMillion("1.00", "4.00").reasoning("10.00");

    // 100 x 1.00 = 100 + 700 x 4.00 = 2,800 + 300 x 10.00 = 3,000 -> 5,900 / 1e6
    assertThat(price.cost(usage(100, 1_000, 0, 0, 0, 300))).isEqualByComparingTo("0.0059");
  }

  @Test
  void anthropicShapeBillsCacheReadsFiveMinuteAndOneHourWritesApart() {
    Price price = Price.perMillion("3.00", "15.00").cachedInput("0.30").cacheWrite("3.75", "6.00");
    // prompt 50,000 = 5,000 uncached + 30,000 read + 15,000 written (5,000 of them for an hour)
    Usage usage = usage(50_000, 1_000, 30_000, 15_000, 5_000, 0);

    // 5,000 x 3.00 = 15,000 + 30,000 x 0.30 = 9,000 + 10,000 x 3.75 = 37,500
    // + 5,000 x 6.00 = 30,000 + 1,000 x 15.00 = 15,000 -> 106,500 / 1e6
    assertThat(price.cost(usage)).isEqualByComparingTo("0.1065");
  }

  @Test
  void longPromptTierAppliesOnlyAboveItsThreshold() {
    Price price = Price.perMillion("1.25", "10.00").cachedInput("0.125")
        .longPrompt(200_000, Price.perMillion("2.50", "15.00").cachedInput("0.25"));

    // at the threshold: 150,000 x 1.25 = 187,500 + 50,000 x 0.125 = 6,250 + 1,000 x 10 = 10,000
    // -> 203,750 / 1e6
    assertThat(price.cost(usage(200_000, 1_000, 50_000, 0, 0, 0)))
        .isEqualByComparingTo("0.20375");
    // one token above, everything at the tier: 150,001 x 2.50 = 375,002.5
    // + 50,000 x 0.25 = 12,500 + 1,000 x 15.00 = 15,000 -> 402,502.5 / 1e6
    assertThat(price.cost(usage(200_001, 1_000, 50_000, 0, 0, 0)))
        .isEqualByComparingTo("0.4025025");
  }

  @Test
  void cacheHitIsBilledAtTheCachedRate() {
    Price price = Price.perMillion("0.28", "0.42").cachedInput("0.028");

    // 1,000 x 0.28 = 280 + 9,000 x 0.028 = 252 + 500 x 0.42 = 210 -> 742 / 1e6
    assertThat(price.cost(usage(10_000, 500, 9_000, 0, 0, 0))).isEqualByComparingTo("0.000742");
  }

  @Test
  void embeddingsCostTheirInputOnly() {
    Price price = Price.perMillion("0.02", "0.00");

    // 123,456 x 0.02 = 2,469.12 -> / 1e6
    assertThat(price.cost(Usage.of(123_456, 0))).isEqualByComparingTo("0.00246912");
  }

  @Test
  void arithmeticIsExactWithoutRounding() {
    Price tenCents = Price.perMillion("0.10", "0.10");
    Price third = Price.perMillion("0.333333", "0");

    assertThat(tenCents.cost(Usage.of(1, 0))).isEqualByComparingTo("0.0000001");
    assertThat(tenCents.cost(Usage.of(1, 0)).compareTo(new BigDecimal("1E-7"))).isZero();
    // 3 x 0.333333 = 0.999999 -> / 1e6
    assertThat(third.cost(Usage.of(3, 0))).isEqualByComparingTo("0.000000999999");
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < 10; i++) {
      total = total.add(tenCents.cost(Usage.of(1, 0)));
    }
    assertThat(total).isEqualByComparingTo("0.000001");
    assertThat(tenCents.cost(Usage.ZERO)).isEqualByComparingTo("0");
  }

  @Test
  void absentRatesFallBackToInputCacheWriteAndOutput() {
    Usage usage = usage(100, 50, 10, 20, 5, 10);
    // nothing but input and output: 100 x 1.00 + 50 x 2.00 = 200 -> / 1e6
    assertThat(Price.perMillion("1.00", "2.00").cost(usage)).isEqualByComparingTo("0.0002");
    // a 5-minute write rate only, so hour writes cost the same:
    // 70 x 1.00 + 10 x 1.00 + 15 x 1.25 = 18.75 + 5 x 1.25 = 6.25 + 50 x 2.00 -> 205 / 1e6
    assertThat(Price.perMillion("1.00", "2.00").cacheWrite("1.25").cost(usage))
        .isEqualByComparingTo("0.000205");
  }

  @Test
  void fallbacksAreVisibleAsNullRates() {
    Price price = Price.perMillion("1", "2");

    assertThat(price.cachedInput()).isNull();
    assertThat(price.cacheWrite()).isNull();
    assertThat(price.cacheWrite1h()).isNull();
    assertThat(price.reasoning()).isNull();
    assertThat(price.longPrompt()).isNull();
    assertThat(price.longPromptThreshold()).isEqualTo(Long.MAX_VALUE);
    assertThat(price.source()).isNull();
    assertThat(price.asOf()).isNull();
  }

  @Test
  void withersReturnNewPricesAndKeepTheRest() {
    LocalDate date = LocalDate.of(2026, 7, 18);
    Price base = Price.perMillion("3.00", "15.00");
    Price full = base.cachedInput("0.30").cacheWrite("3.75", "6.00").reasoning("20")
        .longPrompt(200_000, Price.perMillion("6.00", "22.50").source("https://x.test", date))
        .source("https://example.com/pricing", date);

    assertThat(base.cachedInput()).isNull();
    assertThat(full.input()).isEqualByComparingTo("3");
    assertThat(full.output()).isEqualByComparingTo("15");
    assertThat(full.cachedInput()).isEqualByComparingTo("0.3");
    assertThat(full.cacheWrite()).isEqualByComparingTo("3.75");
    assertThat(full.cacheWrite1h()).isEqualByComparingTo("6");
    assertThat(full.reasoning()).isEqualByComparingTo("20");
    assertThat(full.longPromptThreshold()).isEqualTo(200_000);
    assertThat(full.longPrompt()).isEqualTo(Price.perMillion("6.00", "22.50"));
    assertThat(full.source()).isEqualTo("https://example.com/pricing");
    assertThat(full.asOf()).isEqualTo(date);
    assertThat(full.cacheWrite("4.00").cacheWrite1h()).isEqualByComparingTo("6");
  }

  @Test
  void equalityIsNumeric() {
    assertThat(Price.perMillion("2.0", "8")).isEqualTo(Price.perMillion("2.00", "8.000"))
        .hasSameHashCodeAs(Price.perMillion("2.00", "8.000"));
    assertThat(Price.perMillion("2", "8")).isNotEqualTo(Price.perMillion("2", "8.01"));
    assertThat(Price.perMillion("2", "8").cachedInput("0.5")).hasToString(
        "Price[input=2, cachedInput=0.5, output=8 USD per million tokens]");
  }

  @Test
  void negativeOrMalformedRatesAreRejectedByName() {
    assertThatThrownBy(() -> Price.perMillion("-1", "2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
    assertThatThrownBy(() -> Price.perMillion("1", "-0.01"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
    assertThatThrownBy(() -> Price.perMillion("1", "2").cachedInput("-0.5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cachedInput");
    assertThatThrownBy(() -> Price.perMillion("1", "2").cacheWrite("-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheWrite");
    assertThatThrownBy(() -> Price.perMillion("1", "2").cacheWrite("1", "-2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheWrite1h");
    assertThatThrownBy(() -> Price.perMillion("1", "2").reasoning("-3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reasoning");
    assertThatThrownBy(() -> Price.perMillion("two", "2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input")
        .hasMessageContaining("'two'");
  }

  @Test
  void longPromptTierIsValidated() {
    Price price = Price.perMillion("1", "2");
    Price tier = Price.perMillion("2", "4");

    assertThatThrownBy(() -> price.longPrompt(0, tier))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longPromptThreshold");
    assertThatThrownBy(() -> price.longPrompt(100, tier.longPrompt(200, tier)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longPrompt");
    assertThatThrownBy(() -> price.source(" ", LocalDate.of(2026, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
  }

  /**
   * The cost summed in longs equals, in value and scale, the sum of BigDecimal terms the javadoc
   * defines, over seeded random prices and usages; sums that do not fit a long fall back to it.
   */
  @Test
  void theCostIsTheExactSumOfItsTermsInValueAndScale() {
    java.util.Random random = new java.util.Random(25);
    String[] rates = {"0", "0.1", "0.40", "2.00", "3", "15.125", "0.000001", "1234.5678",
        "75", "0.075"};
    for (int run = 0; run < 5_000; run++) {
      Price price = Price.perMillion(rates[random.nextInt(rates.length)],
              rates[random.nextInt(rates.length)])
          .cachedInput(rates[random.nextInt(rates.length)])
          .cacheWrite(rates[random.nextInt(rates.length)], rates[random.nextInt(rates.length)])
          .reasoning(rates[random.nextInt(rates.length)]);
      long scale = run % 100 == 0 ? Long.MAX_VALUE / 1_000 : 1_000_000;
      long input = (long) (random.nextDouble() * scale);
      long cached = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * input);
      long written = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * (input - cached));
      long written1h = random.nextBoolean() ? 0 : (long) (random.nextDouble() * written);
      long output = random.nextInt(5) == 0 ? 0 : (long) (random.nextDouble() * scale);
      long reasoning = random.nextBoolean() ? 0 : (long) (random.nextDouble() * output);
      Usage usage = usage(input, output, cached, written, written1h, reasoning);

      BigDecimal expected = BigDecimal.ZERO;
      expected = plus(expected, input - cached - written, price.input());
      expected = plus(expected, cached, or(price.cachedInput(), price.input()));
      BigDecimal write = or(price.cacheWrite(), price.input());
      expected = plus(expected, written - written1h, write);
      expected = plus(expected, written1h, or(price.cacheWrite1h(), write));
      expected = plus(expected, output - reasoning, price.output());
      expected = plus(expected, reasoning, or(price.reasoning(), price.output()));

      assertThat(price.cost(usage)).as("run %d", run).isEqualTo(expected);
    }
  }

  /**
   * The cost in nano-dollars is the exact cost rounded up to the nano-dollar, over seeded random
   * prices (scales from whole dollars to 10^-12 per million, rates too large for a long, a long
   * prompt tier) and usages up to sums that overflow a long; worked out here in BigDecimal.
   */
  @Test
  void theCostInNanosIsTheExactCostRoundedUp() {
    java.util.Random random = new java.util.Random(2507);
    String[] rates = {"0", "0.1", "0.40", "2.00", "3", "15.125", "0.000001", "1234.5678",
        "0.000000000001", "0.0000000000015", "99999999999999999999.5", "75", "0.075"};
    int cheap = 0;
    int huge = 0;
    for (int run = 0; run < 20_000; run++) {
      Price price = Price.perMillion(rates[random.nextInt(rates.length)],
              rates[random.nextInt(rates.length)])
          .cachedInput(rates[random.nextInt(rates.length)])
          .cacheWrite(rates[random.nextInt(rates.length)], rates[random.nextInt(rates.length)])
          .reasoning(rates[random.nextInt(rates.length)]);
      if (random.nextBoolean()) {
        price = price.longPrompt(1 + random.nextInt(1_000),
            Price.perMillion(rates[random.nextInt(rates.length)],
                rates[random.nextInt(rates.length)]));
      }
      long scale = switch (run % 4) {
        case 0 -> 10;
        case 1 -> 1_000_000;
        case 2 -> Long.MAX_VALUE / 1_000;
        default -> Long.MAX_VALUE / 2;
      };
      long input = (long) (random.nextDouble() * scale);
      long cached = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * input);
      long written = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * (input - cached));
      long written1h = random.nextBoolean() ? 0 : (long) (random.nextDouble() * written);
      long output = random.nextInt(5) == 0 ? 0 : (long) (random.nextDouble() * scale);
      long reasoning = random.nextBoolean() ? 0 : (long) (random.nextDouble() * output);
      Usage usage = usage(input, output, cached, written, written1h, reasoning);

      BigDecimal nanos = price.cost(usage).movePointRight(9)
          .setScale(0, java.math.RoundingMode.CEILING);
      long expected = nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          ? nanos.longValueExact() : Long.MAX_VALUE;
      assertThat(price.costNanos(usage)).as("run %d: %s", run, usage).isEqualTo(expected);
      cheap += expected > 0 && expected < 1_000 ? 1 : 0;
      huge += expected == Long.MAX_VALUE ? 1 : 0;
    }
    assertThat(cheap).as("amounts of a few nano-dollars, rounded up").isGreaterThan(500);
    assertThat(huge).as("amounts past a long").isGreaterThan(500);
  }

  /**
   * The most a call can cost is the cost of a usage with every input token at the dearest input
   * kind and every output token at the dearest output kind of the rates that apply (the long-prompt
   * tier's above its threshold), rounded up: over seeded random prices and token counts.
   */
  @Test
  void theMostACallCanCostPutsEveryTokenAtItsDearestRate() {
    java.util.Random random = new java.util.Random(2508);
    String[] rates = {"0", "0.1", "0.40", "2.00", "3", "3.75", "6", "15.125", "0.000001",
        "0.0000000000015", "99999999999999999999.5"};
    int written = 0;
    int writtenHour = 0;
    int reasoned = 0;
    for (int run = 0; run < 20_000; run++) {
      Price price = Price.perMillion(rates[random.nextInt(rates.length)],
          rates[random.nextInt(rates.length)]);
      if (random.nextBoolean()) {
        price = price.cacheWrite(rates[random.nextInt(rates.length)],
            rates[random.nextInt(rates.length)]);
      }
      if (random.nextBoolean()) {
        price = price.reasoning(rates[random.nextInt(rates.length)]);
      }
      if (random.nextInt(3) == 0) {
        price = price.longPrompt(1 + random.nextInt(1_000),
            Price.perMillion(rates[random.nextInt(rates.length)],
                rates[random.nextInt(rates.length)]).cacheWrite(
                    rates[random.nextInt(rates.length)], rates[random.nextInt(rates.length)]));
      }
      long input = run % 3 == 0 ? random.nextInt(2_000) : (long) (random.nextDouble()
          * (run % 3 == 1 ? 1_000_000 : Long.MAX_VALUE / 2));
      long output = random.nextInt(4) == 0 ? 0 : random.nextInt(100_000);

      Price rates0 = input > price.longPromptThreshold() && price.longPrompt() != null
          ? price.longPrompt() : price;
      BigDecimal plain = rates0.input();
      BigDecimal write = or(rates0.cacheWrite(), plain);
      BigDecimal writeHour = or(rates0.cacheWrite1h(), write);
      long w = write.compareTo(plain) > 0 || writeHour.compareTo(plain) > 0 ? input : 0;
      long wh = w > 0 && writeHour.compareTo(write) > 0 ? input : 0;
      long r = or(rates0.reasoning(), rates0.output()).compareTo(rates0.output()) > 0 ? output : 0;
      BigDecimal most = price.cost(usage(input, output, 0, w, wh, r)).movePointRight(9)
          .setScale(0, java.math.RoundingMode.CEILING);
      long expected = most.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          ? most.longValueExact() : Long.MAX_VALUE;

      assertThat(price.maxCostNanos(input, output)).as("run %d: %s, %d in, %d out", run, price,
          input, output).isEqualTo(expected);
      written += w > 0 && wh == 0 ? 1 : 0;
      writtenHour += wh > 0 ? 1 : 0;
      reasoned += r > 0 ? 1 : 0;
    }
    assertThat(written).as("input at the cache-write rate").isGreaterThan(1_000);
    assertThat(writtenHour).as("input at the 1-hour rate").isGreaterThan(1_000);
    assertThat(reasoned).as("output at the reasoning rate").isGreaterThan(1_000);
    assertThatThrownBy(() -> Price.perMillion("1", "2").maxCostNanos(-1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
  }

  private static BigDecimal or(@org.jspecify.annotations.Nullable BigDecimal rate,
      BigDecimal fallback) {
    return rate == null ? fallback : rate;
  }

  private static BigDecimal plus(BigDecimal sum, long tokens, BigDecimal perMillion) {
    if (tokens == 0 || perMillion.signum() == 0) {
      return sum;
    }
    BigDecimal term = perMillion.movePointLeft(6).multiply(BigDecimal.valueOf(tokens));
    return sum.signum() == 0 && sum.scale() == 0 ? term : sum.add(term);
  }
}
