package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The one rule for the name of the model that served an answer, as a provider reports it (OpenAI's
 * and Anthropic's {@code model}, Gemini's {@code modelVersion}): the provider's text is untrusted
 * input, so a name is kept only when it is at most {@value #MAX_LENGTH} characters (the limit the
 * gateway puts on the model names callers send), not blank, and free of control characters (which
 * could forge lines in a log or a story). Anything else is dropped, never cut: a cut name would
 * name another model.
 */
final class ServedModel {
  /** The longest name kept, in chars. */
  static final int MAX_LENGTH = 256;

  private ServedModel() {}

  /** {@code name} when it may be kept, else null. */
  static @Nullable String bounded(@Nullable String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || name.isBlank()) {
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return null;
      }
    }
    return name;
  }
}
