package dev.llmgateway.core.internal.policy;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.policy.injection.InjectionClassifier;
import org.jspecify.annotations.Nullable;

/**
 * How a policy asks a model through its own gateway: the call goes in as the original caller, is
 * marked so the policy step lets it pass ({@link Bypass}), and is metered as a call of its own.
 */
final class Classifiers {
  private volatile @Nullable Gateway gateway;

  /** The gateway whose chain this policy step is in (set once, after the chain is built). */
  void gateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /** A chat function for {@code call}'s classifier. */
  InjectionClassifier.ChatFunction chat(Call call) {
    return request -> {
      Gateway g = gateway;
      if (g == null) {
        throw new IllegalStateException("the policy step has no gateway yet");
      }
      return Bypass.run(() -> g.chat(request, call.caller()));
    };
  }
}
