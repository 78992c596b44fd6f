package dev.llmgateway.core.policy.injection;

import static dev.llmgateway.core.policy.injection.Cue.ADDRESS;
import static dev.llmgateway.core.policy.injection.Cue.AI_MENTION;
import static dev.llmgateway.core.policy.injection.Cue.COMMAND;
import static dev.llmgateway.core.policy.injection.Cue.CONCEAL;
import static dev.llmgateway.core.policy.injection.Cue.DECODE;
import static dev.llmgateway.core.policy.injection.Cue.DEV_MODE;
import static dev.llmgateway.core.policy.injection.Cue.FOLLOW;
import static dev.llmgateway.core.policy.injection.Cue.IGNORE;
import static dev.llmgateway.core.policy.injection.Cue.INSTR;
import static dev.llmgateway.core.policy.injection.Cue.JAILBREAK;
import static dev.llmgateway.core.policy.injection.Cue.NEW_TASK;
import static dev.llmgateway.core.policy.injection.Cue.NO_RULES;
import static dev.llmgateway.core.policy.injection.Cue.PERSONA;
import static dev.llmgateway.core.policy.injection.Cue.PRIOR;
import static dev.llmgateway.core.policy.injection.Cue.REVEAL;
import static dev.llmgateway.core.policy.injection.Cue.ROLE;
import static dev.llmgateway.core.policy.injection.Cue.SECRET;
import static dev.llmgateway.core.policy.injection.Cue.SENSITIVE;
import static dev.llmgateway.core.policy.injection.Cue.SYSTEM_PROMPT;
import static dev.llmgateway.core.policy.injection.Cue.TEMPLATE;
import static dev.llmgateway.core.policy.injection.Cue.TEMPLATE_SYSTEM;
import static dev.llmgateway.core.policy.injection.Cue.VERBATIM;
import static dev.llmgateway.core.policy.injection.Cue.YOUR;
import static dev.llmgateway.core.policy.injection.Cue.YOUR_PROMPT;
import static dev.llmgateway.core.policy.injection.Cue.YOU_ARE;

import java.util.Set;

/**
 * The heuristics: which cues near which others make which signal, and how much each weighs. A
 * weight is the rule's own confidence; {@link Tally} keeps a signal's highest and combines the
 * signals. Distances are in characters of the folded text, measured between the cues' starts
 * ({@code before} the anchor cue, {@code after} it), so one window serves languages that put the
 * verb first and those that put it last.
 *
 * <p>Stateless and thread-safe.
 */
final class Rules {
  static final String IGNORE_PREVIOUS = "ignore-previous";
  static final String REVEAL_SYSTEM_PROMPT = "reveal-system-prompt";
  static final String ROLE_PLAY = "role-play";
  static final String CHAT_TEMPLATE = "chat-template-tokens";
  static final String NEW_INSTRUCTIONS = "new-instructions";
  static final String ADDRESSED = "addressed-to-assistant";
  static final String EXFILTRATION = "exfiltration";
  static final String ENCODED = "encoded-payload";
  static final String HOMOGLYPHS = "homoglyphs";
  static final String LEETSPEAK = "leetspeak";

  /** Signals that say how a text was written, not what it asks: they only add to evidence. */
  static final Set<String> OBFUSCATION = Set.of(HOMOGLYPHS, LEETSPEAK);

  /** Every built-in signal name. */
  static final Set<String> BUILT_IN = Set.of(IGNORE_PREVIOUS, REVEAL_SYSTEM_PROMPT, ROLE_PLAY,
      CHAT_TEMPLATE, NEW_INSTRUCTIONS, ADDRESSED, EXFILTRATION, ENCODED, HOMOGLYPHS, LEETSPEAK);

  private static final int NEAR = 60;

  private Rules() {}

  static void apply(Hits h, TextFold.Folded folded, Tally t) {
    ignorePrevious(h, t);
    revealSystemPrompt(h, t);
    rolePlay(h, t);
    chatTemplate(h, t);
    if (h.has(NEW_TASK.ordinal())) {
      t.add(NEW_INSTRUCTIONS, 0.25);
    }
    addressed(h, t);
    exfiltration(h, t);
    if (near(h, DECODE, FOLLOW, NEAR, NEAR)) {
      t.add(ENCODED, 0.45);
    }
    obfuscation(folded, t);
  }

  private static void ignorePrevious(Hits h, Tally t) {
    if (nearBoth(h, IGNORE, INSTR, PRIOR, 30, NEAR) || nearBoth(h, IGNORE, INSTR, YOUR, 30, NEAR)) {
      t.add(IGNORE_PREVIOUS, 0.9);
    } else if (near(h, IGNORE, INSTR, 30, NEAR)) {
      t.add(IGNORE_PREVIOUS, 0.45);
    } else if (near(h, IGNORE, PRIOR, 30, NEAR)) {
      t.add(IGNORE_PREVIOUS, 0.2);
    }
  }

  private static void revealSystemPrompt(Hits h, Tally t) {
    if (near(h, REVEAL, YOUR_PROMPT, 30, NEAR) || nearBoth(h, REVEAL, SECRET, INSTR, 30, NEAR)
        || nearBoth(h, REVEAL, SECRET, SYSTEM_PROMPT, 30, NEAR)) {
      t.add(REVEAL_SYSTEM_PROMPT, 0.85);
    } else if (near(h, YOUR_PROMPT, VERBATIM, NEAR, NEAR)
        || near(h, SYSTEM_PROMPT, VERBATIM, NEAR, NEAR)) {
      t.add(REVEAL_SYSTEM_PROMPT, 0.6);
    } else if (near(h, REVEAL, SYSTEM_PROMPT, 30, NEAR)) {
      t.add(REVEAL_SYSTEM_PROMPT, 0.3);
    } else if (h.has(YOUR_PROMPT.ordinal())) {
      t.add(REVEAL_SYSTEM_PROMPT, 0.15);
    }
  }

  private static void rolePlay(Hits h, Tally t) {
    if (near(h, ROLE, NO_RULES, 100, 200) || near(h, DEV_MODE, NO_RULES, 200, 200)
        || near(h, DEV_MODE, ROLE, 100, 100)) {
      t.add(ROLE_PLAY, 0.85);
    } else if (h.has(JAILBREAK.ordinal()) || near(h, PERSONA, ROLE, NEAR, NEAR)
        || near(h, PERSONA, NO_RULES, NEAR, 200) || near(h, NO_RULES, YOU_ARE, 100, 100)) {
      t.add(ROLE_PLAY, 0.6);
    } else if (h.has(DEV_MODE.ordinal())) {
      t.add(ROLE_PLAY, 0.4);
    } else if (h.has(NO_RULES.ordinal())) {
      t.add(ROLE_PLAY, 0.35);
    }
  }

  private static void chatTemplate(Hits h, Tally t) {
    if (h.has(TEMPLATE_SYSTEM.ordinal())) {
      t.add(CHAT_TEMPLATE, 0.8);
    } else {
      int tokens = h.count(TEMPLATE.ordinal());
      if (tokens >= 2) {
        t.add(CHAT_TEMPLATE, 0.6);
      } else if (tokens == 1) {
        t.add(CHAT_TEMPLATE, 0.45);
      }
    }
  }

  private static void addressed(Hits h, Tally t) {
    if (near(h, ADDRESS, COMMAND, 10, 150) || near(h, ADDRESS, IGNORE, 10, 150)
        || near(h, ADDRESS, CONCEAL, 10, 200) || near(h, ADDRESS, SENSITIVE, 10, 200)) {
      t.add(ADDRESSED, 0.8);
    } else if (near(h, AI_MENTION, CONCEAL, 150, 150)) {
      t.add(ADDRESSED, 0.5);
    } else if (h.has(ADDRESS.ordinal())) {
      t.add(ADDRESSED, 0.35);
    }
  }

  private static void exfiltration(Hits h, Tally t) {
    boolean grab = near(h, COMMAND, SENSITIVE, 30, 80);
    boolean conceal = h.has(CONCEAL.ordinal());
    if (grab && conceal) {
      t.add(EXFILTRATION, 0.6);
    } else if (grab) {
      t.add(EXFILTRATION, 0.35);
    } else if (conceal) {
      t.add(EXFILTRATION, 0.3);
    }
  }

  private static void obfuscation(TextFold.Folded f, Tally t) {
    boolean evidence = t.hasEvidence(0.2);
    if (f.mixedScriptWords > 0 || f.invisibleInWords >= 2 || f.bidiControls > 0
        || f.fullWidth >= 8) {
      t.add(HOMOGLYPHS, evidence ? 0.3 : 0.15);
    }
    if (f.leetWords >= 3 && evidence) {
      t.add(LEETSPEAK, 0.3);
    }
  }

  private static boolean near(Hits h, Cue a, Cue b, int before, int after) {
    return h.near(a.ordinal(), b.ordinal(), before, after);
  }

  private static boolean nearBoth(Hits h, Cue a, Cue b, Cue c, int before, int after) {
    return h.nearBoth(a.ordinal(), b.ordinal(), c.ordinal(), before, after);
  }
}
