package dev.llmgateway.providers.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports' one rule for what a wire format cannot express: a hint or setting the format
 * has no place for is dropped and reported here at DEBUG (logger {@code
 * dev.llmgateway.providers.internal.Dropped}); content the model would need to answer correctly
 * (an image, a document, a JSON schema, tools) is rejected before sending with a typed {@link
 * dev.llmgateway.UnsupportedCapabilityException}. Signed parts another wire format produced (a
 * {@link ContentPart.Reasoning} or a {@link ToolCall}'s signature, see {@link
 * ContentPart.Reasoning#sendableTo}) are dropped too, since a provider accepts only its own
 * signatures, and reported here naming the format they came from. The check costs one flag test
 * per request while DEBUG is off. Never logs content, only what kind of thing was dropped.
 */
public final class Dropped {
  private static final Logger log = LoggerFactory.getLogger(Dropped.class);

  /**
   * What a wire format can carry of the droppable settings.
   *
   * @param format the format's name in {@link ContentPart.Reasoning#format()}: signed parts of
   *     other formats are dropped
   * @param callSignatures whether it sends a signature back on a tool call
   */
  public record Support(String format, boolean seed, boolean promptCacheKey, boolean cacheHints,
      boolean signedReasoning, boolean unsignedReasoning, boolean strictTools,
      boolean reasoningSettings, boolean callSignatures) {}

  private Dropped() {}

  /** Reports, at DEBUG, each setting of the request that the format drops. */
  public static void check(String format, ChatRequest r, Support support) {
    if (!log.isDebugEnabled()) {
      return;
    }
    if (r.seed() != null && !support.seed()) {
      report(format, "a seed");
    }
    if (r.promptCacheKey() != null && !support.promptCacheKey()) {
      report(format, "a prompt cache key");
    }
    if (r.reasoning() != null && !support.reasoningSettings()) {
      report(format, "reasoning settings");
    }
    for (ToolDefinition tool : r.tools()) {
      if (tool.strict() && !support.strictTools()) {
        report(format, "strict tool schemas");
        break;
      }
    }
    boolean hints = false;
    boolean signed = false;
    boolean unsigned = false;
    boolean callSignatures = false;
    String foreign = null;
    for (Message m : r.messages()) {
      for (ContentPart part : m.content()) {
        hints |= part.cacheControl() != null;
        if (part instanceof ContentPart.Reasoning reasoning) {
          if (!reasoning.sendableTo(support.format())) {
            foreign = reasoning.format();
          } else if (reasoning.signature() != null || reasoning.redactedData() != null) {
            signed = true;
          } else {
            unsigned = true;
          }
        }
      }
      for (ToolCall call : m.toolCalls()) {
        if (call.signature() == null) {
          continue;
        }
        if (!support.callSignatures()) {
          callSignatures = true;
        } else if (!call.signatureSendableTo(support.format())) {
          foreign = call.signatureFormat();
        }
      }
    }
    if (hints && !support.cacheHints()) {
      report(format, "cache hints on content parts");
    }
    if (signed && !support.signedReasoning()) {
      report(format, "signed or redacted reasoning parts");
    }
    if (unsigned && !support.unsignedReasoning()) {
      report(format, "reasoning parts without a signature");
    }
    if (callSignatures) {
      report(format, "signatures on tool calls");
    }
    if (foreign != null) {
      log.debug("{} drops reasoning parts and signatures another wire format ({}) produced: a "
          + "provider accepts only its own", format, foreign);
    }
  }

  private static void report(String format, String what) {
    log.debug("{} cannot express {}: dropped from the request", format, what);
  }
}
