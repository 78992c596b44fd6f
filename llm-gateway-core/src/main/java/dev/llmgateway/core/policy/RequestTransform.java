package dev.llmgateway.core.policy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A rewrite of chat requests a gateway applies per team or alias: a system prompt added or put in
 * place of the caller's, defaults for sampling parameters the request leaves open, limits on those
 * it sets, and metadata attached.
 *
 * <pre>{@code
 * RequestTransform support = RequestTransform.builder()
 *     .systemPrompt("Answer as Acme's support assistant.", Placement.PREPEND)
 *     .defaultTemperature(0.2)
 *     .temperatureRange(0.0, 1.0)
 *     .maxOutputTokensCap(2_048)
 *     .metadata("team", "support")
 *     .build();
 * ChatRequest sent = support.apply(request);
 * }</pre>
 *
 * <p>Within one transform the system prompt is placed first, then defaults fill the parameters the
 * request has none of, then limits clamp the parameters it has, then metadata is attached; {@link
 * #andThen(RequestTransform)} runs a second transform on the first one's result.
 *
 * <p><b>Guarantees</b>, for every request and every transform, composed or not: {@link
 * #apply(ChatRequest)} never changes the model, and never raises {@code maxOutputTokens} above
 * what the request carried (the access step has already put the caller's allowed maximum on the
 * request by then): a default fills an absent value only, and a cap only lowers. A request the
 * transform leaves as it is comes back as the same instance, and nothing is allocated for it.
 *
 * <p>Every text, count and size a transform holds is bounded ({@link #MAX_SYSTEM_PROMPT_CHARS},
 * {@link #MAX_METADATA_ENTRIES}, {@link #MAX_METADATA_KEY_CHARS}, {@link
 * #MAX_METADATA_VALUE_CHARS}); the builder refuses more with an {@link IllegalArgumentException}.
 * {@link #toString()} gives the transform's shape, never the system prompt's text nor metadata
 * values.
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestTransform {
  /** The longest system prompt a transform adds, in chars. */
  public static final int MAX_SYSTEM_PROMPT_CHARS = 32_768;
  /** The most metadata entries one transform attaches. */
  public static final int MAX_METADATA_ENTRIES = 32;
  /** The longest metadata key, in chars. */
  public static final int MAX_METADATA_KEY_CHARS = 128;
  /** The longest metadata value, in chars. */
  public static final int MAX_METADATA_VALUE_CHARS = 1_024;

  private static final RequestTransform NONE = new RequestTransform(new Rules[0]);

  /** Where a transform's system prompt goes. */
  public enum Placement {
    /**
     * Before the caller's first system message, or as a new first message when the request has
     * none.
     */
    PREPEND,
    /**
     * After the caller's last system message, or as a new first message when the request has none.
     */
    APPEND,
    /**
     * In place of the caller's system messages: they are removed, and the transform's prompt
     * takes the place of the first of them (or becomes the first message when there was none).
     */
    REPLACE
  }

  /** Whose value a metadata key keeps when the request and the transform both have it. */
  public enum MetadataPrecedence {
    /** The request's own value stays; the transform only adds keys the request lacks. */
    REQUEST_WINS,
    /** The transform's value replaces the request's. */
    TRANSFORM_WINS
  }

  /** The rule sets applied in order; empty for the transform that changes nothing. */
  private final Rules[] parts;

  private RequestTransform(Rules[] parts) {
    this.parts = parts;
  }

  /** The transform that changes nothing. */
  public static RequestTransform none() {
    return NONE;
  }

  /** A builder of one transform; with nothing set it builds {@link #none()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The request as this transform rewrites it: the same instance when nothing changes.
   *
   * @param request the request as the access step leaves it
   * @return the rewritten request, with the same model and at most the request's {@code
   *     maxOutputTokens} when it had one
   */
  public ChatRequest apply(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    ChatRequest result = request;
    for (Rules part : parts) {
      result = part.apply(result);
    }
    return result;
  }

  /**
   * A transform that applies this one, then {@code next} to its result. Both guarantees hold for
   * the composition because they hold for each part.
   */
  public RequestTransform andThen(RequestTransform next) {
    Objects.requireNonNull(next, "next");
    if (next.parts.length == 0) {
      return this;
    }
    if (parts.length == 0) {
      return next;
    }
    Rules[] both = Arrays.copyOf(parts, parts.length + next.parts.length);
    System.arraycopy(next.parts, 0, both, parts.length, next.parts.length);
    return new RequestTransform(both);
  }

  /** Whether this transform changes nothing in any request. */
  public boolean isNone() {
    return parts.length == 0;
  }

  @Override
  public String toString() {
    if (parts.length == 0) {
      return "RequestTransform[none]";
    }
    StringBuilder sb = new StringBuilder("RequestTransform[");
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append(" then ");
      }
      parts[i].describe(sb);
    }
    return sb.append(']').toString();
  }

  /** One builder's rules. */
  private static final class Rules {
    private final @Nullable Message systemPrompt;
    private final Placement placement;
    private final @Nullable Double defaultTemperature;
    private final @Nullable Double defaultTopP;
    private final @Nullable Integer defaultMaxOutputTokens;
    private final @Nullable Long defaultSeed;
    private final @Nullable ReasoningConfig defaultReasoning;
    private final @Nullable Double minTemperature;
    private final @Nullable Double maxTemperature;
    private final @Nullable Double minTopP;
    private final @Nullable Double maxTopP;
    private final @Nullable Integer maxOutputTokensCap;
    private final String[] metadataKeys;
    private final String[] metadataValues;
    private final MetadataPrecedence precedence;

    Rules(Builder b) {
      this.systemPrompt = b.systemPrompt == null ? null : Message.system(b.systemPrompt);
      this.placement = b.placement;
      this.defaultTemperature = b.defaultTemperature;
      this.defaultTopP = b.defaultTopP;
      this.defaultMaxOutputTokens = b.defaultMaxOutputTokens;
      this.defaultSeed = b.defaultSeed;
      this.defaultReasoning = b.defaultReasoning;
      this.minTemperature = b.minTemperature;
      this.maxTemperature = b.maxTemperature;
      this.minTopP = b.minTopP;
      this.maxTopP = b.maxTopP;
      this.maxOutputTokensCap = b.maxOutputTokensCap;
      this.metadataKeys = b.metadata.keySet().toArray(new String[0]);
      this.metadataValues = b.metadata.values().toArray(new String[0]);
      this.precedence = b.precedence;
    }

    ChatRequest apply(ChatRequest r) {
      List<Message> messages = systemPrompt == null ? null : placed(r.messages(), systemPrompt);
      Double temperature = clamp(
          r.temperature() == null ? defaultTemperature : r.temperature(), minTemperature,
          maxTemperature);
      Double topP = clamp(r.topP() == null ? defaultTopP : r.topP(), minTopP, maxTopP);
      Integer maxTokens = capped(
          r.maxOutputTokens() == null ? defaultMaxOutputTokens : r.maxOutputTokens());
      Long seed = r.seed() == null ? defaultSeed : r.seed();
      ReasoningConfig reasoning = r.reasoning() == null ? defaultReasoning : r.reasoning();
      boolean metadataChanges = metadataChanges(r.metadata());
      if (messages == null && Objects.equals(temperature, r.temperature())
          && Objects.equals(topP, r.topP()) && Objects.equals(maxTokens, r.maxOutputTokens())
          && Objects.equals(seed, r.seed()) && reasoning == r.reasoning() && !metadataChanges) {
        return r;
      }
      ChatRequest.Builder b = r.toBuilder()
          .temperature(temperature)
          .topP(topP)
          .maxOutputTokens(maxTokens)
          .seed(seed)
          .reasoning(reasoning);
      if (messages != null) {
        b.messages(messages);
      }
      if (metadataChanges) {
        for (int i = 0; i < metadataKeys.length; i++) {
          if (precedence == MetadataPrecedence.TRANSFORM_WINS
              || !r.metadata().containsKey(metadataKeys[i])) {
            b.metadata(metadataKeys[i], metadataValues[i]);
          }
        }
      }
      return b.build();
    }

    /** The conversation with the prompt placed, or null when it would be the same. */
    private @Nullable List<Message> placed(List<Message> messages, Message prompt) {
      int first = -1;
      int last = -1;
      int count = 0;
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i).role() == Role.SYSTEM) {
          if (first < 0) {
            first = i;
          }
          last = i;
          count++;
        }
      }
      if (placement == Placement.REPLACE && count == 1
          && messages.get(first).content().equals(prompt.content())) {
        return null;
      }
      List<Message> out = new ArrayList<>(messages.size() + 1);
      switch (placement) {
        case PREPEND:
          out.addAll(messages);
          out.add(Math.max(first, 0), prompt);
          break;
        case APPEND:
          out.addAll(messages);
          out.add(last + 1, prompt);
          break;
        default:
          for (Message m : messages) {
            if (m.role() != Role.SYSTEM) {
              out.add(m);
            }
          }
          out.add(Math.max(first, 0), prompt);
          break;
      }
      return out;
    }

    private static @Nullable Double clamp(@Nullable Double value, @Nullable Double min,
        @Nullable Double max) {
      if (value == null) {
        return null;
      }
      if (min != null && value < min) {
        return min;
      }
      if (max != null && value > max) {
        return max;
      }
      return value;
    }

    private @Nullable Integer capped(@Nullable Integer value) {
      if (value == null || maxOutputTokensCap == null || value <= maxOutputTokensCap) {
        return value;
      }
      return maxOutputTokensCap;
    }

    private boolean metadataChanges(Map<String, String> metadata) {
      for (int i = 0; i < metadataKeys.length; i++) {
        String current = metadata.get(metadataKeys[i]);
        if (current == null
            || (precedence == MetadataPrecedence.TRANSFORM_WINS
                && !current.equals(metadataValues[i]))) {
          return true;
        }
      }
      return false;
    }

    void describe(StringBuilder sb) {
      sb.append('{');
      int start = sb.length();
      if (systemPrompt != null) {
        item(sb, start).append("systemPrompt=").append(placement).append('(')
            .append(systemPrompt.text().length()).append(" chars)");
      }
      appendIf(sb, start, "defaultTemperature", defaultTemperature);
      appendIf(sb, start, "defaultTopP", defaultTopP);
      appendIf(sb, start, "defaultMaxOutputTokens", defaultMaxOutputTokens);
      if (defaultSeed != null) {
        item(sb, start).append("defaultSeed");
      }
      if (defaultReasoning != null) {
        item(sb, start).append("defaultReasoning=").append(defaultReasoning);
      }
      if (minTemperature != null) {
        item(sb, start).append("temperature=[").append(minTemperature).append(", ")
            .append(maxTemperature).append(']');
      }
      if (minTopP != null) {
        item(sb, start).append("topP=[").append(minTopP).append(", ").append(maxTopP).append(']');
      }
      appendIf(sb, start, "maxOutputTokensCap", maxOutputTokensCap);
      if (metadataKeys.length > 0) {
        item(sb, start).append("metadata=").append(Arrays.toString(metadataKeys)).append(' ')
            .append(precedence);
      }
      sb.append('}');
    }

    private static void appendIf(StringBuilder sb, int start, String name,
        @Nullable Object value) {
      if (value != null) {
        item(sb, start).append(name).append('=').append(value);
      }
    }

    private static StringBuilder item(StringBuilder sb, int start) {
      return sb.length() > start ? sb.append(", ") : sb;
    }
  }

  /**
   * Builds a {@link RequestTransform}. Not thread-safe; reusable: {@link #build()} copies its
   * state. Each setter checks its argument at once ({@link IllegalArgumentException} naming the
   * problem); {@link #build()} checks the settings against each other ({@link
   * IllegalStateException} quoting both).
   */
  public static final class Builder {
    private @Nullable String systemPrompt;
    private Placement placement = Placement.PREPEND;
    private @Nullable Double defaultTemperature;
    private @Nullable Double defaultTopP;
    private @Nullable Integer defaultMaxOutputTokens;
    private @Nullable Long defaultSeed;
    private @Nullable ReasoningConfig defaultReasoning;
    private @Nullable Double minTemperature;
    private @Nullable Double maxTemperature;
    private @Nullable Double minTopP;
    private @Nullable Double maxTopP;
    private @Nullable Integer maxOutputTokensCap;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private MetadataPrecedence precedence = MetadataPrecedence.REQUEST_WINS;

    private Builder() {}

    /**
     * The system prompt to add, and where (see {@link Placement}).
     *
     * @throws IllegalArgumentException when the text is blank or longer than {@link
     *     #MAX_SYSTEM_PROMPT_CHARS}
     */
    public Builder systemPrompt(String text, Placement placement) {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(placement, "placement");
      if (text.isBlank()) {
        throw new IllegalArgumentException("a system prompt must not be blank");
      }
      if (text.length() > MAX_SYSTEM_PROMPT_CHARS) {
        throw new IllegalArgumentException("a system prompt may have at most "
            + MAX_SYSTEM_PROMPT_CHARS + " chars, this one has " + text.length());
      }
      this.systemPrompt = text;
      this.placement = placement;
      return this;
    }

    /**
     * The temperature of a request that sets none.
     *
     * @throws IllegalArgumentException outside [0, 2]
     */
    public Builder defaultTemperature(double temperature) {
      this.defaultTemperature = checkTemperature("default temperature", temperature);
      return this;
    }

    /**
     * The top-p of a request that sets none.
     *
     * @throws IllegalArgumentException outside (0, 1]
     */
    public Builder defaultTopP(double topP) {
      this.defaultTopP = checkTopP("default topP", topP);
      return this;
    }

    /**
     * The most output tokens of a request that sets none (one that arrives with a limit keeps it).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder defaultMaxOutputTokens(int maxOutputTokens) {
      this.defaultMaxOutputTokens = checkTokens("default maxOutputTokens", maxOutputTokens);
      return this;
    }

    /** The sampling seed of a request that sets none. */
    public Builder defaultSeed(long seed) {
      this.defaultSeed = seed;
      return this;
    }

    /** The reasoning settings of a request that sets none. */
    public Builder defaultReasoning(ReasoningConfig reasoning) {
      this.defaultReasoning = Objects.requireNonNull(reasoning, "reasoning");
      return this;
    }

    /**
     * Clamps a request's temperature into [{@code min}, {@code max}].
     *
     * @throws IllegalArgumentException when a bound lies outside [0, 2] or {@code min > max}
     */
    public Builder temperatureRange(double min, double max) {
      checkTemperature("temperature range's min", min);
      checkTemperature("temperature range's max", max);
      if (min > max) {
        throw new IllegalArgumentException(
            "temperature range needs min <= max, was [" + min + ", " + max + "]");
      }
      this.minTemperature = min;
      this.maxTemperature = max;
      return this;
    }

    /**
     * Clamps a request's top-p into [{@code min}, {@code max}].
     *
     * @throws IllegalArgumentException when a bound lies outside (0, 1] or {@code min > max}
     */
    public Builder topPRange(double min, double max) {
      checkTopP("topP range's min", min);
      checkTopP("topP range's max", max);
      if (min > max) {
        throw new IllegalArgumentException(
            "topP range needs min <= max, was [" + min + ", " + max + "]");
      }
      this.minTopP = min;
      this.maxTopP = max;
      return this;
    }

    /**
     * Lowers a request's {@code maxOutputTokens} to at most {@code cap}; never raises one.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxOutputTokensCap(int cap) {
      this.maxOutputTokensCap = checkTokens("maxOutputTokens cap", cap);
      return this;
    }

    /**
     * A metadata entry to attach (see {@link #metadataPrecedence(MetadataPrecedence)} for a key
     * the request has too).
     *
     * @throws IllegalArgumentException for an empty key, a key or value over its length limit,
     *     or a key past the {@link #MAX_METADATA_ENTRIES}th
     */
    public Builder metadata(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (key.isEmpty() || key.length() > MAX_METADATA_KEY_CHARS) {
        throw new IllegalArgumentException("a metadata key needs 1 to " + MAX_METADATA_KEY_CHARS
            + " chars, was " + key.length());
      }
      if (value.length() > MAX_METADATA_VALUE_CHARS) {
        throw new IllegalArgumentException("metadata '" + key + "' may have at most "
            + MAX_METADATA_VALUE_CHARS + " chars, has " + value.length());
      }
      if (metadata.size() >= MAX_METADATA_ENTRIES && !metadata.containsKey(key)) {
        throw new IllegalArgumentException(
            "a transform attaches at most " + MAX_METADATA_ENTRIES + " metadata entries");
      }
      metadata.put(key, value);
      return this;
    }

    /** Whose value a key keeps when the request has it too; {@code REQUEST_WINS} by default. */
    public Builder metadataPrecedence(MetadataPrecedence precedence) {
      this.precedence = Objects.requireNonNull(precedence, "precedence");
      return this;
    }

    /**
     * The transform ({@link #none()} when nothing is set).
     *
     * @throws IllegalStateException when a default lies outside its own range or cap
     */
    public RequestTransform build() {
      if (defaultTemperature != null && minTemperature != null
          && (defaultTemperature < minTemperature || defaultTemperature > maxTemperature)) {
        throw new IllegalStateException("default temperature " + defaultTemperature
            + " lies outside the temperature range [" + minTemperature + ", " + maxTemperature
            + "]");
      }
      if (defaultTopP != null && minTopP != null
          && (defaultTopP < minTopP || defaultTopP > maxTopP)) {
        throw new IllegalStateException("default topP " + defaultTopP
            + " lies outside the topP range [" + minTopP + ", " + maxTopP + "]");
      }
      if (defaultMaxOutputTokens != null && maxOutputTokensCap != null
          && defaultMaxOutputTokens > maxOutputTokensCap) {
        throw new IllegalStateException("default maxOutputTokens " + defaultMaxOutputTokens
            + " is above the maxOutputTokens cap " + maxOutputTokensCap);
      }
      if (systemPrompt == null && defaultTemperature == null && defaultTopP == null
          && defaultMaxOutputTokens == null && defaultSeed == null && defaultReasoning == null
          && minTemperature == null && minTopP == null && maxOutputTokensCap == null
          && metadata.isEmpty()) {
        return NONE;
      }
      return new RequestTransform(new Rules[] {new Rules(this)});
    }

    private static Double checkTemperature(String what, double value) {
      if (!(value >= 0 && value <= 2)) {
        throw new IllegalArgumentException(what + " must be within [0, 2], was " + value);
      }
      return value;
    }

    private static Double checkTopP(String what, double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException(what + " must be within (0, 1], was " + value);
      }
      return value;
    }

    private static Integer checkTokens(String what, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
