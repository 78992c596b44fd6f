package dev.llmgateway;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One part of a message's content. Providers that cannot carry a kind of part reject the request
 * with an {@link UnsupportedCapabilityException} before anything is sent.
 */
public sealed interface ContentPart
    permits ContentPart.Text, ContentPart.Image, ContentPart.Document, ContentPart.Reasoning {

  /** The optional prompt-caching hint on this part. */
  @Nullable CacheControl cacheControl();

  /** Plain text. */
  static Text text(String text) {
    return new Text(text, null);
  }

  /** An image the provider fetches from a URL (a {@code data:} URL is allowed too). */
  static Image imageUrl(String url) {
    return new Image(url, null, null, null);
  }

  /** An image given as bytes, e.g. {@code image/png}. */
  static Image image(byte[] data, String mediaType) {
    return new Image(null, data, mediaType, null);
  }

  /** A document such as a PDF given as bytes. */
  static Document document(byte[] data, String mediaType) {
    return new Document(data, mediaType, null, null);
  }

  /**
   * Text content.
   *
   * @param text the text
   * @param cacheControl optional caching hint
   */
  record Text(String text, @Nullable CacheControl cacheControl) implements ContentPart {
    /** Validates. */
    public Text {
      Objects.requireNonNull(text, "text");
    }

    /** This part with a caching hint. */
    public Text withCacheControl(CacheControl cacheControl) {
      return new Text(text, cacheControl);
    }
  }

  /**
   * An image, either by URL or as bytes with a media type (exactly one of the two).
   *
   * @param url where the provider fetches the image, or null when {@code data} is given
   * @param data the image bytes, or null when {@code url} is given
   * @param mediaType the media type of {@code data}, e.g. {@code image/jpeg}
   * @param cacheControl optional caching hint
   */
  record Image(
      @Nullable String url,
      byte @Nullable [] data,
      @Nullable String mediaType,
      @Nullable CacheControl cacheControl)
      implements ContentPart {
    /** Validates and copies the bytes. */
    public Image {
      if ((url == null) == (data == null)) {
        throw new IllegalArgumentException("an image needs exactly one of url or data");
      }
      if (data != null) {
        if (mediaType == null || mediaType.isBlank()) {
          throw new IllegalArgumentException("an image given as bytes needs a media type");
        }
        data = data.clone();
      }
    }

    /** The image bytes (a copy), or null for a URL image. */
    @Override
    public byte @Nullable [] data() {
      return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Image i
          && Objects.equals(url, i.url)
          && Arrays.equals(data, i.data)
          && Objects.equals(mediaType, i.mediaType)
          && Objects.equals(cacheControl, i.cacheControl);
    }

    @Override
    public int hashCode() {
      return Objects.hash(url, Arrays.hashCode(data), mediaType, cacheControl);
    }

    @Override
    public String toString() {
      return url != null
          ? "Image[url=" + (url.startsWith("data:") ? "data:..." : url) + "]"
          : "Image[" + mediaType + ", " + data.length + " bytes]";
    }
  }

  /**
   * A document (e.g. {@code application/pdf}) given as bytes.
   *
   * @param data the document bytes
   * @param mediaType its media type
   * @param title optional title shown to the model
   * @param cacheControl optional caching hint
   */
  record Document(
      byte[] data, String mediaType, @Nullable String title, @Nullable CacheControl cacheControl)
      implements ContentPart {
    /** Validates and copies the bytes. */
    public Document {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(mediaType, "mediaType");
      data = data.clone();
    }

    /** The document bytes (a copy). */
    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Document d
          && Arrays.equals(data, d.data)
          && mediaType.equals(d.mediaType)
          && Objects.equals(title, d.title)
          && Objects.equals(cacheControl, d.cacheControl);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(data), mediaType, title, cacheControl);
    }

    @Override
    public String toString() {
      return "Document[" + mediaType + ", " + data.length + " bytes]";
    }
  }

  /**
   * The model's reasoning ("thinking"), round-tripped unchanged in multi-turn conversations: send
   * back exactly what the assistant returned, signature and redacted data included.
   *
   * <p>A signature or redacted data is valid only at the provider family that made it. So a part
   * records the wire format that produced it ({@link #format()}, set by the transport that read it:
   * {@code "anthropic"}, {@code "gemini"}, {@code "openai"}), and a transport sends back only the
   * parts it may ({@link #sendableTo}): its own format's, or those whose origin is unknown. After a
   * failover, one provider's signature never reaches another.
   *
   * @param text the visible reasoning text, or null
   * @param signature the provider's opaque signature over the reasoning, or null
   * @param redactedData the provider's encrypted reasoning when it was redacted, or null
   * @param format the wire format whose provider produced this part, or null when unknown (a part
   *     the application built itself)
   */
  record Reasoning(@Nullable String text, @Nullable String signature,
      @Nullable String redactedData, @Nullable String format) implements ContentPart {
    /** Validates. */
    public Reasoning {
      if (text == null && redactedData == null && signature == null) {
        throw new IllegalArgumentException("reasoning needs text, a signature or redacted data");
      }
      if (format != null && format.isBlank()) {
        throw new IllegalArgumentException("a reasoning part's format must not be blank");
      }
    }

    /**
     * Reasoning of unknown origin: every transport that can carry it sends it (the application
     * vouches for it).
     */
    public Reasoning(@Nullable String text, @Nullable String signature,
        @Nullable String redactedData) {
      this(text, signature, redactedData, null);
    }

    /** This part, recorded as produced by the given wire format. */
    public Reasoning withFormat(String format) {
      return new Reasoning(text, signature, redactedData, Objects.requireNonNull(format, "format"));
    }

    /**
     * Whether a transport of the given wire format may send this part back: the part came from
     * that format, or its origin is unknown.
     */
    public boolean sendableTo(String format) {
      return this.format == null || this.format.equals(format);
    }

    @Override
    public @Nullable CacheControl cacheControl() {
      return null;
    }

    @Override
    public String toString() {
      return "Reasoning[text="
          + (text == null ? "null" : text.length() + " chars")
          + ", signed="
          + (signature != null)
          + ", redacted="
          + (redactedData != null)
          + ", format="
          + format
          + "]";
    }
  }
}
