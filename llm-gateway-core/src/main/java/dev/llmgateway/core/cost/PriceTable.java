package dev.llmgateway.core.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Deployment;
import dev.llmgateway.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices by {@code vendor/model}, and the lookup that finds a deployment's price.
 *
 * <p>{@link #bundled()} is the table shipped in this jar ({@code
 * dev/llmgateway/core/cost/prices.json}: the main models of OpenAI, Anthropic, Gemini, Groq,
 * Mistral, DeepSeek and Together, each citing its source and date). Make your own with {@link
 * #builder()}, or add to and override the bundled one with {@code
 * PriceTable.bundled().toBuilder().put("openai/gpt-4o", price).build()}.
 *
 * <p>{@link #find(Deployment)} tries, in order:
 *
 * <ol>
 *   <li>the exact key {@code provider/model};
 *   <li>the model under the vendor the provider name stands for: {@code azure} → {@code openai},
 *       {@code google} → {@code gemini}, and a name that starts with a vendor and a dash ({@code
 *       openai-eu} → {@code openai}); and for a model that starts with a vendor, as OpenRouter's
 *       {@code openai/gpt-4o} and {@code google/gemini-2.5-pro} do, that vendor's price of the
 *       rest ({@code google} → {@code gemini}, {@code mistralai} → {@code mistral});
 *   <li>the bare model name, if exactly one vendor in the table lists it;
 *   <li>the same three steps with a trailing date removed from the model ({@code
 *       gpt-4.1-2025-04-14} → {@code gpt-4.1}, {@code claude-sonnet-4-5-20250929} → {@code
 *       claude-sonnet-4-5}): a dated snapshot is billed at its alias's price.
 * </ol>
 *
 * <p>Azure's global deployments and OpenRouter bill the listed vendor's price; regional Azure
 * deployments and other resellers may not, so give those a price of their own. Each deployment is
 * resolved once and remembered (the first 4,096 of them), so a lookup on the hot path is one map
 * read. A deployment with no price costs {@code null} (unknown), never zero, and is logged once at
 * WARN.
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTable {
  private static final Logger log = LoggerFactory.getLogger(PriceTable.class);

  /** Where {@link #bundled()} reads its prices, on the class path. */
  static final String RESOURCE = "dev/llmgateway/core/cost/prices.json";
  private static final String UNITS = "USD per million tokens";
  private static final Pattern DATE_SUFFIX = Pattern.compile("-(?:\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
  /** Deployments remembered at most; past this, lookups are resolved each time and not logged. */
  static final int MAX_REMEMBERED = 4096;
  private static final Map<String, String> VENDOR_ALIASES =
      Map.of("azure", "openai", "google", "gemini", "mistralai", "mistral");
  private static final PriceTable EMPTY = new PriceTable(new LinkedHashMap<>());

  private final Map<String, Price> entries;
  private final Set<String> vendors;
  private final Map<String, Price> uniqueByModel;
  private final ConcurrentHashMap<Deployment, Resolved> resolved = new ConcurrentHashMap<>();
  private final AtomicInteger unknownWarnings = new AtomicInteger();

  private PriceTable(LinkedHashMap<String, Price> entries) {
    this.entries = Collections.unmodifiableMap(entries);
    Map<String, @Nullable Price> byModel = new HashMap<>();
    Set<String> vendorNames = new HashSet<>();
    for (Map.Entry<String, Price> e : entries.entrySet()) {
      int slash = e.getKey().indexOf('/');
      vendorNames.add(e.getKey().substring(0, slash));
      String model = e.getKey().substring(slash + 1);
      // A model listed by two vendors maps to null: it has no unique bare-name price.
      byModel.merge(model, e.getValue(), (a, b) -> null);
    }
    Map<String, Price> unique = new HashMap<>();
    byModel.forEach((model, price) -> {
      if (price != null) {
        unique.put(model, price);
      }
    });
    this.vendors = Set.copyOf(vendorNames);
    this.uniqueByModel = Map.copyOf(unique);
  }

  /** The prices bundled with this jar, read once on first use. */
  public static PriceTable bundled() {
    return Bundled.TABLE;
  }

  /** A table without prices: every deployment's cost is unknown. */
  public static PriceTable empty() {
    return EMPTY;
  }

  /** A builder for a table of your own, starting empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this table's entries. */
  public Builder toBuilder() {
    return new Builder().putAll(this);
  }

  /**
   * The price of a deployment, found as the class javadoc describes, or null when none is known
   * (logged once per deployment at WARN).
   *
   * @param deployment the provider name and model of the call
   * @return its price, or null
   */
  public @Nullable Price find(Deployment deployment) {
    Resolved known = resolved.get(deployment);
    if (known != null) {
      return known.price;
    }
    Price price = resolve(deployment.provider(), deployment.model());
    if (resolved.size() >= MAX_REMEMBERED) {
      return price;
    }
    if (resolved.putIfAbsent(deployment, new Resolved(price)) == null && price == null) {
      unknownWarnings.incrementAndGet();
      log.warn("no price for deployment {}: its cost is unknown (null), not zero; add one with"
          + " GatewayBuilder.price(...)", deployment);
    }
    return price;
  }

  /**
   * The dollars a call to a deployment cost ({@link Price#cost(Usage)}), or null when the
   * deployment has no price.
   *
   * @param deployment the provider name and model of the call
   * @param usage the call's token counts
   * @return the exact cost in US dollars, or null when unknown
   */
  public @Nullable BigDecimal cost(Deployment deployment, Usage usage) {
    Price price = find(deployment);
    return price == null ? null : price.cost(usage);
  }

  /** Every price by its {@code vendor/model} key, unmodifiable, in the order they were put. */
  public Map<String, Price> entries() {
    return entries;
  }

  /** How many deployments without a price were logged; for tests. */
  int unknownPriceWarnings() {
    return unknownWarnings.get();
  }

  private @Nullable Price resolve(String provider, String model) {
    Price price = resolveModel(provider, model);
    if (price != null) {
      return price;
    }
    Matcher dated = DATE_SUFFIX.matcher(model);
    if (dated.find() && dated.start() > 0) {
      return resolveModel(provider, model.substring(0, dated.start()));
    }
    return null;
  }

  private @Nullable Price resolveModel(String provider, String model) {
    Price price = entries.get(provider + "/" + model);
    if (price != null) {
      return price;
    }
    String vendor = vendorOf(provider);
    if (vendor != null && !vendor.equals(provider)) {
      price = entries.get(vendor + "/" + model);
      if (price != null) {
        return price;
      }
    }
    int slash = model.indexOf('/');
    if (slash > 0 && slash < model.length() - 1) {
      String modelVendor = vendorOf(model.substring(0, slash));
      if (modelVendor != null) {
        price = entries.get(modelVendor + "/" + model.substring(slash + 1));
        if (price != null) {
          return price;
        }
      }
    }
    return uniqueByModel.get(model);
  }

  /** The vendor in this table a provider name stands for, or null. */
  private @Nullable String vendorOf(String name) {
    if (vendors.contains(name)) {
      return name;
    }
    String alias = VENDOR_ALIASES.get(name);
    if (alias != null) {
      return alias;
    }
    int dash = name.indexOf('-');
    if (dash > 0) {
      String head = name.substring(0, dash);
      if (vendors.contains(head)) {
        return head;
      }
      alias = VENDOR_ALIASES.get(head);
      if (alias != null) {
        return alias;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "PriceTable[" + entries.size() + " prices]";
  }

  /** A deployment's resolved price; a wrapper because a map cannot hold null. */
  private record Resolved(@Nullable Price price) {}

  /**
   * Collects prices by {@code vendor/model} key; a later {@link #put} for a key replaces the
   * earlier one. Not thread-safe; {@link #build()} copies it, so it can be reused.
   */
  public static final class Builder {
    private final LinkedHashMap<String, Price> entries = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the price of a model: the key is {@code provider/model} as a deployment is written
     * ({@code openai/gpt-4o}, {@code openrouter/meta-llama/llama-3.1-70b}).
     *
     * @param providerSlashModel the provider name (or vendor), a slash, the model
     * @param price its price
     * @return this builder
     * @throws IllegalArgumentException if the key is not {@code provider/model}
     */
    public Builder put(String providerSlashModel, Price price) {
      Objects.requireNonNull(price, "price");
      Deployment key = Deployment.parse(providerSlashModel);
      entries.put(key.provider() + "/" + key.model(), price);
      return this;
    }

    /**
     * Puts every price of another table, replacing prices of the same keys.
     *
     * @param table the prices to add
     * @return this builder
     */
    public Builder putAll(PriceTable table) {
      entries.putAll(table.entries);
      return this;
    }

    /** A table of the prices put so far. */
    public PriceTable build() {
      return new PriceTable(new LinkedHashMap<>(entries));
    }
  }

  /** Holds the bundled table, read on first use (the class-holder idiom). */
  private static final class Bundled {
    static final PriceTable TABLE = read(RESOURCE);
  }

  /**
   * Reads a price table in the bundled JSON format from the class path.
   *
   * @throws IllegalStateException if the resource is missing or not a valid price table
   */
  static PriceTable read(String resource) {
    try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("price table " + resource + " is not on the class path");
      }
      return parse(new ObjectMapper().readTree(in), resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read price table " + resource, e);
    }
  }

  static PriceTable parse(JsonNode root, String name) {
    JsonNode units = root.path("units");
    if (!UNITS.equals(units.asText())) {
      throw new IllegalStateException(
          name + ": units must be '" + UNITS + "', was " + units.toString());
    }
    JsonNode prices = root.path("prices");
    if (!prices.isObject()) {
      throw new IllegalStateException(name + ": no 'prices' object");
    }
    Builder builder = builder();
    for (Map.Entry<String, JsonNode> entry : prices.properties()) {
      try {
        builder.put(entry.getKey(), price(entry.getValue(), true));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalStateException(name + ": price '" + entry.getKey() + "': "
            + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  private static final Set<String> FIELDS = Set.of("input", "output", "cachedInput", "cacheWrite",
      "cacheWrite1h", "reasoning", "longPrompt", "source", "asOf", "sourceEntry", "note");
  private static final Set<String> TIER_FIELDS =
      Set.of("threshold", "input", "output", "cachedInput", "cacheWrite", "cacheWrite1h",
          "reasoning");

  private static Price price(JsonNode node, boolean top) {
    Set<String> allowed = top ? FIELDS : TIER_FIELDS;
    Map<String, JsonNode> fields = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      fields.put(field.getKey(), field.getValue());
    }
    for (String field : fields.keySet()) {
      if (!allowed.contains(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "'");
      }
    }
    Price price = Price.perMillion(decimal(fields, "input"), decimal(fields, "output"));
    if (fields.containsKey("cachedInput")) {
      price = price.cachedInput(decimal(fields, "cachedInput"));
    }
    if (fields.containsKey("cacheWrite")) {
      BigDecimal oneHour =
          fields.containsKey("cacheWrite1h") ? decimal(fields, "cacheWrite1h") : null;
      price = price.cacheWrite(decimal(fields, "cacheWrite"), oneHour);
    } else if (fields.containsKey("cacheWrite1h")) {
      price = price.cacheWrite(price.input(), decimal(fields, "cacheWrite1h"));
    }
    if (fields.containsKey("reasoning")) {
      price = price.reasoning(decimal(fields, "reasoning"));
    }
    if (!top) {
      return price;
    }
    JsonNode tier = fields.get("longPrompt");
    if (tier != null) {
      JsonNode threshold = tier.path("threshold");
      if (!threshold.canConvertToLong()) {
        throw new IllegalArgumentException("longPrompt needs a whole-number 'threshold'");
      }
      price = price.longPrompt(threshold.asLong(), price(tier, false));
    }
    JsonNode source = fields.get("source");
    JsonNode asOf = fields.get("asOf");
    if (source != null || asOf != null) {
      if (source == null || asOf == null || !source.isTextual() || !asOf.isTextual()) {
        throw new IllegalArgumentException("'source' and 'asOf' go together, as text");
      }
      price = price.source(source.asText(), LocalDate.parse(asOf.asText()));
    }
    return price;
  }

  private static BigDecimal decimal(Map<String, JsonNode> fields, String field) {
    JsonNode node = fields.get(field);
    if (node == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    if (!node.isTextual() && !node.isNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be a decimal number, was " + node);
    }
    // The text, not decimalValue(): a JSON number read as a double would not be exact.
    try {
      return new BigDecimal(node.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + field + "' is not a decimal number: '" + node.asText() + "'", e);
    }
  }
}
