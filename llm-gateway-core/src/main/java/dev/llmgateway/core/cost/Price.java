package dev.llmgateway.core.cost;

import dev.llmgateway.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one deployment charges, in US dollars per million tokens, and where that figure comes from.
 *
 * <p>Rates, each a {@link BigDecimal} of dollars per 1,000,000 tokens:
 *
 * <ul>
 *   <li>{@link #input()}: prompt tokens neither read from nor written to the provider's cache;
 *   <li>{@link #cachedInput()}: prompt tokens read from the cache (absent: the input rate);
 *   <li>{@link #cacheWrite()}: prompt tokens written to the cache, Anthropic's 5-minute writes
 *       (absent: the input rate);
 *   <li>{@link #cacheWrite1h()}: Anthropic's 1-hour cache writes (absent: the cache-write rate);
 *   <li>{@link #output()}: generated tokens;
 *   <li>{@link #reasoning()}: generated reasoning tokens (absent: the output rate);
 *   <li>an optional long-prompt tier ({@link #longPrompt()}): a call with more than {@link
 *       #longPromptThreshold()} input tokens is billed entirely at the tier's rates.
 * </ul>
 *
 * <p>{@link #source()} (a URL) and {@link #asOf()} (the date of that source) say where the figures
 * were read; both are absent on prices you make yourself.
 *
 * <pre>{@code
 * Price sonnet = Price.perMillion("3.00", "15.00")
 *     .cachedInput("0.30")
 *     .cacheWrite("3.75", "6.00")
 *     .longPrompt(200_000, Price.perMillion("6.00", "22.50").cachedInput("0.60"))
 *     .source("https://example.com/pricing", LocalDate.of(2026, 7, 18));
 * BigDecimal dollars = sonnet.cost(usage);
 * }</pre>
 *
 * <p>Immutable and thread-safe; the withers return a new price. Two prices are equal when their
 * rates are numerically equal ({@code 2.0} equals {@code 2.00}) and their tier, source and date
 * are equal.
 */
public final class Price {
  private static final BigDecimal ZERO = BigDecimal.ZERO;

  private final BigDecimal input;
  private final BigDecimal output;
  private final @Nullable BigDecimal cachedInput;
  private final @Nullable BigDecimal cacheWrite;
  private final @Nullable BigDecimal cacheWrite1h;
  private final @Nullable BigDecimal reasoning;
  private final long longPromptThreshold;
  private final @Nullable Price longPrompt;
  private final @Nullable String source;
  private final @Nullable LocalDate asOf;

  // The dollars per token cost() applies: fallbacks resolved and the rates divided by a million
  // once here rather than on every call.
  private final BigDecimal inputPerToken;
  private final BigDecimal outputPerToken;
  private final BigDecimal cachedPerToken;
  private final BigDecimal cacheWritePerToken;
  private final BigDecimal cacheWrite1hPerToken;
  private final BigDecimal reasoningPerToken;
  /**
   * The six per-token rates (input, cached, cache write, 1-hour cache write, output, reasoning) as
   * unscaled longs and their scales, for summing a cost in {@code long} arithmetic; null when one
   * of them does not fit a long (the cost is then summed in {@code BigDecimal}).
   */
  private final long @Nullable [] unscaled;
  private final int[] scales;
  /**
   * Where the most a call can cost puts its tokens, by index into {@link #unscaled}: every input
   * token at the dearest of plain input (0), a cache write (2) and a 1-hour cache write (3), the
   * earlier on a tie; every output token at plain output (4) or, when dearer, reasoning (5).
   */
  private final int dearestInput;
  private final int dearestOutput;

  private Price(BigDecimal input, BigDecimal output, @Nullable BigDecimal cachedInput,
      @Nullable BigDecimal cacheWrite, @Nullable BigDecimal cacheWrite1h,
      @Nullable BigDecimal reasoning, long longPromptThreshold, @Nullable Price longPrompt,
      @Nullable String source, @Nullable LocalDate asOf) {
    this.input = rate("input", input);
    this.output = rate("output", output);
    this.cachedInput = cachedInput == null ? null : rate("cachedInput", cachedInput);
    this.cacheWrite = cacheWrite == null ? null : rate("cacheWrite", cacheWrite);
    this.cacheWrite1h = cacheWrite1h == null ? null : rate("cacheWrite1h", cacheWrite1h);
    this.reasoning = reasoning == null ? null : rate("reasoning", reasoning);
    this.longPromptThreshold = longPromptThreshold;
    this.longPrompt = longPrompt;
    this.source = source;
    this.asOf = asOf;
    this.inputPerToken = perToken(input);
    this.outputPerToken = perToken(output);
    this.cachedPerToken = cachedInput == null ? inputPerToken : perToken(cachedInput);
    this.cacheWritePerToken = cacheWrite == null ? inputPerToken : perToken(cacheWrite);
    this.cacheWrite1hPerToken =
        cacheWrite1h == null ? cacheWritePerToken : perToken(cacheWrite1h);
    this.reasoningPerToken = reasoning == null ? outputPerToken : perToken(reasoning);
    BigDecimal[] rates = {inputPerToken, cachedPerToken, cacheWritePerToken,
        cacheWrite1hPerToken, outputPerToken, reasoningPerToken};
    long[] longs = new long[rates.length];
    int[] rateScales = new int[rates.length];
    boolean fit = true;
    for (int i = 0; i < rates.length; i++) {
      java.math.BigInteger u = rates[i].unscaledValue();
      fit &= u.bitLength() < 63 && rates[i].scale() >= 0;
      longs[i] = u.longValue();
      rateScales[i] = rates[i].scale();
    }
    this.unscaled = fit ? longs : null;
    this.scales = rateScales;
    int in = 0;
    if (cacheWritePerToken.compareTo(rates[in]) > 0) {
      in = 2;
    }
    if (cacheWrite1hPerToken.compareTo(rates[in]) > 0) {
      in = 3;
    }
    this.dearestInput = in;
    this.dearestOutput = reasoningPerToken.compareTo(outputPerToken) > 0 ? 5 : 4;
  }

  /**
   * A price of {@code input} dollars per million prompt tokens and {@code output} dollars per
   * million generated tokens; every other rate falls back to these.
   *
   * @param input dollars per million input tokens, a decimal such as {@code "2.00"}
   * @param output dollars per million output tokens
   * @return the price
   * @throws IllegalArgumentException if a rate is not a decimal number or is negative
   */
  public static Price perMillion(String input, String output) {
    return perMillion(parse("input", input), parse("output", output));
  }

  /**
   * A price of {@code input} dollars per million prompt tokens and {@code output} dollars per
   * million generated tokens; every other rate falls back to these.
   *
   * @param input dollars per million input tokens
   * @param output dollars per million output tokens
   * @return the price
   * @throws IllegalArgumentException if a rate is negative
   */
  public static Price perMillion(BigDecimal input, BigDecimal output) {
    return new Price(input, output, null, null, null, null, Long.MAX_VALUE, null, null, null);
  }

  /**
   * This price with a rate for prompt tokens read from the provider's cache.
   *
   * @param dollarsPerMillion the cache-read rate, a decimal such as {@code "0.50"}
   * @return a new price
   * @throws IllegalArgumentException if the rate is not a decimal number or is negative
   */
  public Price cachedInput(String dollarsPerMillion) {
    return cachedInput(parse("cachedInput", dollarsPerMillion));
  }

  /**
   * This price with a rate for prompt tokens read from the provider's cache.
   *
   * @param dollarsPerMillion the cache-read rate
   * @return a new price
   * @throws IllegalArgumentException if the rate is negative
   */
  public Price cachedInput(BigDecimal dollarsPerMillion) {
    return new Price(input, output, dollarsPerMillion, cacheWrite, cacheWrite1h, reasoning,
        longPromptThreshold, longPrompt, source, asOf);
  }

  /**
   * This price with a rate for prompt tokens written to the provider's cache (Anthropic's 5-minute
   * writes; one-hour writes then cost the same unless {@link #cacheWrite(String, String)} says
   * otherwise).
   *
   * @param fiveMinute the cache-write rate, a decimal such as {@code "3.75"}
   * @return a new price
   * @throws IllegalArgumentException if the rate is not a decimal number or is negative
   */
  public Price cacheWrite(String fiveMinute) {
    return cacheWrite(parse("cacheWrite", fiveMinute), cacheWrite1h);
  }

  /**
   * This price with rates for Anthropic's 5-minute and 1-hour cache writes.
   *
   * @param fiveMinute the 5-minute cache-write rate, a decimal such as {@code "3.75"}
   * @param oneHour the 1-hour cache-write rate, a decimal such as {@code "6.00"}
   * @return a new price
   * @throws IllegalArgumentException if a rate is not a decimal number or is negative
   */
  public Price cacheWrite(String fiveMinute, String oneHour) {
    return cacheWrite(parse("cacheWrite", fiveMinute), parse("cacheWrite1h", oneHour));
  }

  /**
   * This price with rates for Anthropic's 5-minute and 1-hour cache writes.
   *
   * @param fiveMinute the 5-minute cache-write rate
   * @param oneHour the 1-hour cache-write rate, or null to bill 1-hour writes at {@code
   *     fiveMinute}
   * @return a new price
   * @throws IllegalArgumentException if a rate is negative
   */
  public Price cacheWrite(BigDecimal fiveMinute, @Nullable BigDecimal oneHour) {
    return new Price(input, output, cachedInput, fiveMinute, oneHour, reasoning,
        longPromptThreshold, longPrompt, source, asOf);
  }

  /**
   * This price with its own rate for reasoning tokens (most providers bill them as output).
   *
   * @param dollarsPerMillion the reasoning rate, a decimal such as {@code "3.50"}
   * @return a new price
   * @throws IllegalArgumentException if the rate is not a decimal number or is negative
   */
  public Price reasoning(String dollarsPerMillion) {
    return reasoning(parse("reasoning", dollarsPerMillion));
  }

  /**
   * This price with its own rate for reasoning tokens (most providers bill them as output).
   *
   * @param dollarsPerMillion the reasoning rate
   * @return a new price
   * @throws IllegalArgumentException if the rate is negative
   */
  public Price reasoning(BigDecimal dollarsPerMillion) {
    return new Price(input, output, cachedInput, cacheWrite, cacheWrite1h, dollarsPerMillion,
        longPromptThreshold, longPrompt, source, asOf);
  }

  /**
   * This price with a long-prompt tier: a call whose input tokens (cached and cache-written ones
   * included) are more than {@code threshold} is billed entirely, output included, at {@code
   * tier}'s rates, as Gemini 2.5 Pro and Claude's long context are. The tier's own source and
   * date are dropped; its rates fall back among themselves as any price's do.
   *
   * @param threshold the most input tokens billed at this price's own rates, at least 1
   * @param tier the rates above the threshold; it may not have a tier of its own
   * @return a new price
   * @throws IllegalArgumentException if the threshold is below 1 or the tier has a tier
   */
  public Price longPrompt(long threshold, Price tier) {
    Objects.requireNonNull(tier, "tier");
    if (threshold < 1) {
      throw new IllegalArgumentException(
          "longPromptThreshold must be at least 1 token, was " + threshold);
    }
    if (tier.longPrompt != null) {
      throw new IllegalArgumentException("a longPrompt tier cannot have a longPrompt tier of its"
          + " own, was " + tier);
    }
    Price rates = tier.source == null && tier.asOf == null ? tier : tier.withoutSource();
    return new Price(input, output, cachedInput, cacheWrite, cacheWrite1h, reasoning, threshold,
        rates, source, asOf);
  }

  /**
   * This price citing where its figures were read.
   *
   * @param url the page or file the figures come from
   * @param asOf the date of that source (for a file in a repository, the date of its commit)
   * @return a new price
   * @throws IllegalArgumentException if the URL is blank
   */
  public Price source(String url, LocalDate asOf) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(asOf, "asOf");
    if (url.isBlank()) {
      throw new IllegalArgumentException("source must be a URL, was blank");
    }
    return new Price(input, output, cachedInput, cacheWrite, cacheWrite1h, reasoning,
        longPromptThreshold, longPrompt, url, asOf);
  }

  /**
   * The dollars a call with this usage costs: every kind of token times its rate, divided by one
   * million, computed exactly (no rounding; compare results with {@link
   * BigDecimal#compareTo(BigDecimal)}, their scale varies). Uncached input is {@code inputTokens
   * - cachedInputTokens - cacheWriteTokens}, plain output is {@code outputTokens -
   * reasoningTokens}, 5-minute writes are {@code cacheWriteTokens - cacheWrite1hTokens}; a call
   * with more input tokens than the {@link #longPromptThreshold()} is billed at the {@link
   * #longPrompt()} rates. An embedding's usage has output 0 and costs its input only.
   *
   * @param usage the call's token counts
   * @return the cost in US dollars, never negative
   */
  public BigDecimal cost(Usage usage) {
    Price p = tier(usage);
    BigDecimal exact = p.inLongs(uncached(usage), usage.cachedInputTokens(),
        fiveMinuteWrites(usage), usage.cacheWrite1hTokens(), plainOutput(usage),
        usage.reasoningTokens());
    if (exact != null) {
      return exact;
    }
    BigDecimal sum = ZERO;
    sum = add(sum, uncached(usage), p.inputPerToken);
    sum = add(sum, usage.cachedInputTokens(), p.cachedPerToken);
    sum = add(sum, fiveMinuteWrites(usage), p.cacheWritePerToken);
    sum = add(sum, usage.cacheWrite1hTokens(), p.cacheWrite1hPerToken);
    sum = add(sum, plainOutput(usage), p.outputPerToken);
    sum = add(sum, usage.reasoningTokens(), p.reasoningPerToken);
    return sum;
  }

  /** The rates a call with this usage is billed at: the long-prompt tier's above its threshold. */
  private Price tier(Usage usage) {
    Price p = usage.inputTokens() > longPromptThreshold ? longPrompt : this;
    return p == null ? this : p;
  }

  /** Input tokens neither read from nor written to the cache. */
  private static long uncached(Usage u) {
    return u.inputTokens() - u.cachedInputTokens() - u.cacheWriteTokens();
  }

  /** Cache writes of the 5-minute kind. */
  private static long fiveMinuteWrites(Usage u) {
    return u.cacheWriteTokens() - u.cacheWrite1hTokens();
  }

  /** Output tokens that are not reasoning. */
  private static long plainOutput(Usage u) {
    return u.outputTokens() - u.reasoningTokens();
  }

  /**
   * What {@link #cost(Usage)} comes to in nano-dollars (billionths of a dollar), rounded up: the
   * unit budgets count in. Equal to rounding {@code cost(usage)} up to the nano-dollar, but summed
   * in {@code long} arithmetic without a {@code BigDecimal} whenever the rates and the sum fit
   * (every everyday price); {@link Long#MAX_VALUE} when the amount is larger than that.
   *
   * @param usage the call's token counts
   * @return the cost in nano-dollars, rounded up, never negative
   */
  public long costNanos(Usage usage) {
    long nanos = tier(usage).nanosInLongs(uncached(usage), usage.cachedInputTokens(),
        fiveMinuteWrites(usage), usage.cacheWrite1hTokens(), plainOutput(usage),
        usage.reasoningTokens());
    if (nanos >= 0) {
      return nanos;
    }
    BigDecimal rounded = cost(usage).movePointRight(9).setScale(0, RoundingMode.CEILING);
    return rounded.compareTo(LONG_MAX) <= 0 ? rounded.longValue() : Long.MAX_VALUE;
  }

  /**
   * The most a call with {@code inputTokens} in and {@code outputTokens} out can cost, in
   * nano-dollars rounded up, whatever its usage turns out to be: every input token at the dearest
   * input rate (plain, or a cache write when that costs more), every output token at the dearest
   * output rate (plain, or reasoning when that costs more), at the {@linkplain #longPrompt()
   * long-prompt tier}'s rates when the input is above its threshold. What a budget reserves for an
   * attempt; {@link Long#MAX_VALUE} when larger than that.
   *
   * @param inputTokens the prompt's tokens, at least 0
   * @param outputTokens the most tokens the answer may have, at least 0
   * @return the most it can cost in nano-dollars, never negative
   * @throws IllegalArgumentException when a count is negative
   */
  public long maxCostNanos(long inputTokens, long outputTokens) {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, were " + inputTokens
          + " and " + outputTokens);
    }
    Price p = inputTokens > longPromptThreshold && longPrompt != null ? longPrompt : this;
    int in = p.dearestInput;
    int out = p.dearestOutput;
    long nanos = p.nanosInLongs(in == 0 ? inputTokens : 0, 0, in == 2 ? inputTokens : 0,
        in == 3 ? inputTokens : 0, out == 4 ? outputTokens : 0, out == 5 ? outputTokens : 0);
    if (nanos >= 0) {
      return nanos;
    }
    return costNanos(new Usage(inputTokens, outputTokens, 0, in >= 2 ? inputTokens : 0,
        in == 3 ? inputTokens : 0, out == 5 ? outputTokens : 0, false));
  }

  /**
   * {@link #inLongs}'s sum in nano-dollars rounded up, or -1 when a rate or the sum does not fit
   * a {@code long}.
   */
  private long nanosInLongs(long t0, long t1, long t2, long t3, long t4, long t5) {
    long[] u = unscaled;
    if (u == null) {
      return -1;
    }
    int scale = sumScale(u, t0, t1, t2, t3, t4, t5);
    if (scale < 0) {
      return 0;
    }
    try {
      long sum = sumAt(u, scale, t0, t1, t2, t3, t4, t5);
      // sum is the cost in units of 10^-scale dollars; a nano-dollar is 10^-9
      if (scale <= 9) {
        return Math.multiplyExact(sum, POWERS_OF_TEN[9 - scale]);
      }
      int down = scale - 9;
      if (down >= POWERS_OF_TEN.length) {
        return sum == 0 ? 0 : 1; // a long is below 10^19 units of 10^-scale: under a nano-dollar
      }
      long unit = POWERS_OF_TEN[down];
      return sum / unit + (sum % unit == 0 ? 0 : 1);
    } catch (ArithmeticException tooLarge) {
      return -1;
    }
  }

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L,
      1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L,
      100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
      1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
      1_000_000_000_000_000_000L};

  /**
   * The cost of these token counts (in the order of {@link #unscaled}) summed exactly in {@code
   * long} arithmetic, equal to the {@code BigDecimal} sum in value and scale (the largest scale of
   * the terms that count); null when a rate or the sum does not fit, so the caller sums in {@code
   * BigDecimal}. One {@code BigDecimal} per call instead of two per term.
   */
  private @Nullable BigDecimal inLongs(long t0, long t1, long t2, long t3, long t4, long t5) {
    long[] u = unscaled;
    if (u == null) {
      return null;
    }
    int scale = sumScale(u, t0, t1, t2, t3, t4, t5);
    if (scale < 0) {
      return ZERO;
    }
    try {
      return BigDecimal.valueOf(sumAt(u, scale, t0, t1, t2, t3, t4, t5), scale);
    } catch (ArithmeticException tooLarge) {
      return null;
    }
  }

  /** The largest scale of the terms that count (tokens and rate not 0); -1 when none does. */
  private int sumScale(long[] u, long t0, long t1, long t2, long t3, long t4, long t5) {
    int scale = -1;
    scale = scaleOf(u, scale, t0, 0);
    scale = scaleOf(u, scale, t1, 1);
    scale = scaleOf(u, scale, t2, 2);
    scale = scaleOf(u, scale, t3, 3);
    scale = scaleOf(u, scale, t4, 4);
    return scaleOf(u, scale, t5, 5);
  }

  /**
   * The terms' sum in units of 10^-{@code scale} dollars.
   *
   * @throws ArithmeticException when it does not fit a {@code long}
   */
  private long sumAt(long[] u, int scale, long t0, long t1, long t2, long t3, long t4, long t5) {
    long sum = term(u, 0, t0, 0, scale);
    sum = term(u, sum, t1, 1, scale);
    sum = term(u, sum, t2, 2, scale);
    sum = term(u, sum, t3, 3, scale);
    sum = term(u, sum, t4, 4, scale);
    return term(u, sum, t5, 5, scale);
  }

  private int scaleOf(long[] u, int scale, long tokens, int i) {
    return tokens == 0 || u[i] == 0 ? scale : Math.max(scale, scales[i]);
  }

  private long term(long[] u, long sum, long tokens, int i, int scale) {
    if (tokens == 0 || u[i] == 0) {
      return sum;
    }
    int shift = scale - scales[i];
    if (shift >= POWERS_OF_TEN.length) {
      throw new ArithmeticException("scale");
    }
    long rate = Math.multiplyExact(u[i], POWERS_OF_TEN[shift]);
    return Math.addExact(sum, Math.multiplyExact(tokens, rate));
  }

  /** Dollars per token: the rate per million with the decimal point moved, exactly. */
  private static BigDecimal perToken(BigDecimal dollarsPerMillion) {
    return dollarsPerMillion.movePointLeft(6);
  }

  private static BigDecimal add(BigDecimal sum, long tokens, BigDecimal rate) {
    if (tokens == 0 || rate.signum() == 0) {
      return sum;
    }
    BigDecimal term = rate.multiply(BigDecimal.valueOf(tokens));
    return sum == ZERO ? term : sum.add(term);
  }

  /** Dollars per million input tokens neither read from nor written to the cache. */
  public BigDecimal input() {
    return input;
  }

  /** Dollars per million generated tokens. */
  public BigDecimal output() {
    return output;
  }

  /** Dollars per million prompt tokens read from the cache, or null when that is the input rate. */
  public @Nullable BigDecimal cachedInput() {
    return cachedInput;
  }

  /**
   * Dollars per million prompt tokens written to the cache (Anthropic's 5-minute writes), or null
   * when that is the input rate.
   */
  public @Nullable BigDecimal cacheWrite() {
    return cacheWrite;
  }

  /**
   * Dollars per million prompt tokens written to Anthropic's 1-hour cache, or null when that is
   * the {@linkplain #cacheWrite() cache-write} rate.
   */
  public @Nullable BigDecimal cacheWrite1h() {
    return cacheWrite1h;
  }

  /** Dollars per million reasoning tokens, or null when that is the output rate. */
  public @Nullable BigDecimal reasoning() {
    return reasoning;
  }

  /**
   * The most input tokens a call may have and still be billed at this price's own rates; {@link
   * Long#MAX_VALUE} when there is no {@linkplain #longPrompt() long-prompt tier}.
   */
  public long longPromptThreshold() {
    return longPromptThreshold;
  }

  /** The rates of a call above the {@link #longPromptThreshold()}, or null when there are none. */
  public @Nullable Price longPrompt() {
    return longPrompt;
  }

  /** The URL the figures were read from, or null for a price made by hand. */
  public @Nullable String source() {
    return source;
  }

  /** The date of the {@link #source()}, or null for a price made by hand. */
  public @Nullable LocalDate asOf() {
    return asOf;
  }

  private Price withoutSource() {
    return new Price(input, output, cachedInput, cacheWrite, cacheWrite1h, reasoning,
        longPromptThreshold, longPrompt, null, null);
  }

  private static BigDecimal rate(String field, BigDecimal value) {
    Objects.requireNonNull(value, field);
    if (value.signum() < 0) {
      throw new IllegalArgumentException(
          field + " must be at least 0 dollars per million tokens, was " + value.toPlainString());
    }
    return value;
  }

  private static BigDecimal parse(String field, String text) {
    Objects.requireNonNull(text, field);
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field + " must be a decimal number of dollars per million tokens, was '" + text + "'", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Price other)) {
      return false;
    }
    return same(input, other.input) && same(output, other.output)
        && same(cachedInput, other.cachedInput) && same(cacheWrite, other.cacheWrite)
        && same(cacheWrite1h, other.cacheWrite1h) && same(reasoning, other.reasoning)
        && longPromptThreshold == other.longPromptThreshold
        && Objects.equals(longPrompt, other.longPrompt) && Objects.equals(source, other.source)
        && Objects.equals(asOf, other.asOf);
  }

  private static boolean same(@Nullable BigDecimal a, @Nullable BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(hash(input), hash(output), hash(cachedInput), hash(cacheWrite),
        hash(cacheWrite1h), hash(reasoning), longPromptThreshold, longPrompt, source, asOf);
  }

  private static int hash(@Nullable BigDecimal value) {
    return value == null ? 0 : value.stripTrailingZeros().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Price[input=").append(input.toPlainString());
    append(s, "cachedInput", cachedInput);
    append(s, "cacheWrite", cacheWrite);
    append(s, "cacheWrite1h", cacheWrite1h);
    s.append(", output=").append(output.toPlainString());
    append(s, "reasoning", reasoning);
    s.append(" USD per million tokens");
    if (longPrompt != null) {
      s.append(", above ").append(longPromptThreshold).append(" input tokens ").append(longPrompt);
    }
    if (source != null) {
      s.append(", source=").append(source).append(" as of ").append(asOf);
    }
    return s.append(']').toString();
  }

  private static void append(StringBuilder s, String name, @Nullable BigDecimal value) {
    if (value != null) {
      s.append(", ").append(name).append('=').append(value.toPlainString());
    }
  }
}
