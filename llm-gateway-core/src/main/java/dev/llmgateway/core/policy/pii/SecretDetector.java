package dev.llmgateway.core.policy.pii;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Credentials: provider keys by their documented prefixes, JWTs, PEM private key blocks, and
 * high-entropy tokens. Hand-written scanners, linear in the text. Stateless and thread-safe.
 *
 * <ul>
 *   <li><b>Prefixed keys</b>: OpenAI {@code sk-}, {@code sk-proj-}, {@code sk-svcacct-},
 *       {@code sk-admin-}; Anthropic {@code sk-ant-}; AWS access key ids {@code AKIA}, {@code ASIA}
 *       (and the other IAM unique-id prefixes) with 16 upper-case letters or digits; GitHub
 *       {@code ghp_ gho_ ghu_ ghs_ ghr_ github_pat_}; Slack {@code xoxa- xoxb- xoxp- xoxr- xoxs-};
 *       Google {@code AIza} with 35 chars; Stripe {@code sk_live_ rk_live_ sk_test_ rk_test_
 *       whsec_}; GitLab {@code glpat-}; Hugging Face {@code hf_}; npm {@code npm_}; SendGrid
 *       {@code SG.}; DigitalOcean {@code dop_v1_}; Shopify {@code shpat_ shpss_ shpca_}; Groq
 *       {@code gsk_}; xAI {@code xai-}. The part after the prefix must have a length that format
 *       uses and mix at least two of upper case, lower case and digits.
 *   <li><b>JWTs</b>: three base64url parts split by dots (the signature may be empty) whose
 *       header decodes to a JSON object with an {@code "alg"} member.
 *   <li><b>PEM private keys</b>: from {@code -----BEGIN ... PRIVATE KEY-----} (RSA, EC, DSA,
 *       OPENSSH, ENCRYPTED, PGP ... BLOCK) to its {@code -----END ...-----} line, or to the end of
 *       the base64 body when the block is cut short; at most 64 KiB.
 *   <li><b>High-entropy tokens</b>: a run of 20 to 512 base64 or base64url chars (with up to two
 *       {@code =}) holding at least two upper-case letters, two lower-case letters and two
 *       digits (no digits needed from 24 chars on), whose Shannon entropy per char is at least {@code min(4.3, 0.88 * log2(length))}
 *       bits (3.80 at 20 chars, 4.03 at 24, 4.3 from 30): random base62 keys pass, words,
 *       identifiers, hex hashes and UUIDs (one letter case) do not.
 * </ul>
 */
final class SecretDetector implements BuiltInDetector {

  static final int MIN_ENTROPY_LENGTH = 20;
  static final int MAX_ENTROPY_LENGTH = 512;
  /** From this length a token of mixed-case letters needs no digits (one in 300 random keys has none). */
  static final int LETTERS_ONLY_LENGTH = 24;
  private static final double ENTROPY_CAP = 4.3;
  private static final double ENTROPY_FACTOR = 0.88;
  private static final int MAX_PEM = 64 * 1024;
  private static final int MAX_JWT_PART = 8 * 1024;

  private static final int TOKEN = 0;
  private static final int ALNUM = 1;
  private static final int UPPER_ALNUM = 2;
  private static final int WORD = 3;
  private static final int SLACK = 4;
  private static final int TOKEN_DOT = 5;

  private record KeyFormat(String prefix, int charset, int min, int max) {}

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
  private static final List<KeyFormat>[] BY_FIRST_CHAR = new List[128];

  static {
    List<KeyFormat> formats = new ArrayList<>();
    for (String p : new String[] {"sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-"}) {
      formats.add(new KeyFormat(p, TOKEN, 20, 300));
    }
    for (String p : new String[] {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"}) {
      formats.add(new KeyFormat(p, UPPER_ALNUM, 16, 16));
    }
    for (String p : new String[] {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
      formats.add(new KeyFormat(p, ALNUM, 36, 251));
    }
    formats.add(new KeyFormat("github_pat_", WORD, 22, 255));
    for (String p : new String[] {"xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"}) {
      formats.add(new KeyFormat(p, SLACK, 10, 250));
    }
    formats.add(new KeyFormat("AIza", TOKEN, 35, 35));
    for (String p : new String[] {"sk_live_", "rk_live_", "sk_test_", "rk_test_", "whsec_"}) {
      formats.add(new KeyFormat(p, ALNUM, 16, 250));
    }
    formats.add(new KeyFormat("glpat-", TOKEN, 20, 255));
    formats.add(new KeyFormat("hf_", ALNUM, 30, 255));
    formats.add(new KeyFormat("npm_", ALNUM, 36, 36));
    formats.add(new KeyFormat("SG.", TOKEN_DOT, 60, 100));
    formats.add(new KeyFormat("dop_v1_", ALNUM, 64, 64));
    for (String p : new String[] {"shpat_", "shpss_", "shpca_"}) {
      formats.add(new KeyFormat(p, ALNUM, 32, 32));
    }
    formats.add(new KeyFormat("gsk_", ALNUM, 40, 80));
    formats.add(new KeyFormat("xai-", ALNUM, 40, 120));
    for (KeyFormat format : formats) {
      char first = format.prefix().charAt(0);
      if (BY_FIRST_CHAR[first] == null) {
        BY_FIRST_CHAR[first] = new ArrayList<>();
      }
      BY_FIRST_CHAR[first].add(format);
    }
  }

  @Override
  public void find(String text, TextBits bits, List<PiiSpan> spans) {
    prefixedKeys(text, bits, spans);
    jwts(text, spans);
    pemBlocks(text, spans);
    highEntropy(text, bits, spans);
  }

  /** Whether a key prefix starts with {@code c}. */
  static boolean startsAKeyPrefix(char c) {
    return c < 128 && BY_FIRST_CHAR[c] != null;
  }

  private static void prefixedKeys(String text, TextBits bits, List<PiiSpan> spans) {
    // only where a token starts with a char some prefix starts with
    int i = bits.nextKeyStart(0);
    while (i >= 0) {
      int end = -1;
      for (KeyFormat format : BY_FIRST_CHAR[text.charAt(i)]) {
        if (text.startsWith(format.prefix(), i)) {
          end = keyEnd(text, i + format.prefix().length(), format);
          break;
        }
      }
      if (end > 0) {
        spans.add(new PiiSpan(PiiType.SECRET, i, end));
        i = bits.nextKeyStart(end);
      } else {
        i = bits.nextKeyStart(i + 1);
      }
    }
  }

  private static int keyEnd(String text, int from, KeyFormat format) {
    int p = from;
    int limit = Math.min(text.length(), from + format.max() + 1);
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    while (p < limit && inCharset(text.charAt(p), format.charset())) {
      char c = text.charAt(p);
      upper |= Chars.upper(c);
      lower |= Chars.lower(c);
      digit |= Chars.digit(c);
      p++;
    }
    int length = p - from;
    if (length < format.min() || length > format.max()
        || (p < text.length() && (Chars.word(text.charAt(p)) || text.charAt(p) == '-'))) {
      return -1;
    }
    int classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0);
    return classes >= 2 ? p : -1;
  }

  private static boolean inCharset(char c, int charset) {
    return switch (charset) {
      case ALNUM -> Chars.asciiAlnum(c);
      case UPPER_ALNUM -> Chars.upper(c) || Chars.digit(c);
      case WORD -> Chars.asciiAlnum(c) || c == '_';
      case SLACK -> Chars.asciiAlnum(c) || c == '-';
      case TOKEN_DOT -> tokenChar(c) || c == '.';
      default -> tokenChar(c);
    };
  }

  static boolean tokenChar(char c) {
    return Chars.asciiAlnum(c) || c == '_' || c == '-';
  }

  private static void jwts(String text, List<PiiSpan> spans) {
    for (int i = text.indexOf("eyJ"); i >= 0; i = text.indexOf("eyJ", i + 1)) {
      if (i > 0 && tokenChar(text.charAt(i - 1))) {
        continue;
      }
      int headerEnd = tokenEnd(text, i);
      if (headerEnd - i > MAX_JWT_PART || headerEnd >= text.length()
          || text.charAt(headerEnd) != '.') {
        continue;
      }
      int payloadEnd = tokenEnd(text, headerEnd + 1);
      if (payloadEnd - headerEnd - 1 < 2 || payloadEnd >= text.length()
          || text.charAt(payloadEnd) != '.') {
        continue;
      }
      int end = tokenEnd(text, payloadEnd + 1);
      if (end < text.length() && (Chars.word(text.charAt(end)) || text.charAt(end) == '.')) {
        continue;
      }
      if (jsonHeaderWithAlg(text.substring(i, headerEnd))) {
        spans.add(new PiiSpan(PiiType.SECRET, i, end));
        i = end - 1;
      }
    }
  }

  /** The end of the base64url run from {@code from}, at most {@link #MAX_JWT_PART} + 1 long. */
  private static int tokenEnd(String text, int from) {
    int p = from;
    int limit = Math.min(text.length(), from + MAX_JWT_PART + 1);
    while (p < limit && tokenChar(text.charAt(p))) {
      p++;
    }
    return p;
  }

  private static boolean jsonHeaderWithAlg(String header) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8)
          .strip();
      return json.startsWith("{") && json.endsWith("}") && json.contains("\"alg\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void pemBlocks(String text, List<PiiSpan> spans) {
    String begin = "-----BEGIN ";
    for (int i = text.indexOf(begin); i >= 0; i = text.indexOf(begin, i + 1)) {
      int labelStart = i + begin.length();
      int labelEnd = labelStart;
      while (labelEnd < text.length() && labelEnd - labelStart <= 40
          && (Chars.upper(text.charAt(labelEnd)) || text.charAt(labelEnd) == ' ')) {
        labelEnd++;
      }
      if (!text.startsWith("-----", labelEnd)) {
        continue;
      }
      String label = text.substring(labelStart, labelEnd);
      if (!label.endsWith("PRIVATE KEY") && !label.endsWith("PRIVATE KEY BLOCK")) {
        continue;
      }
      int bodyStart = labelEnd + 5;
      int limit = Math.min(text.length(), i + MAX_PEM);
      String endLine = "-----END " + label + "-----";
      int end = bodyStart;
      int p = bodyStart;
      while (p < limit) {
        char c = text.charAt(p);
        if (c == '-' && text.startsWith("-----END ", p)) {
          if (text.startsWith(endLine, p) && p + endLine.length() <= limit) {
            end = p + endLine.length();
          }
          break;
        }
        if (!pemBodyChar(c)) {
          break;
        }
        p++;
        if (!Character.isWhitespace(c)) {
          end = p;
        }
      }
      spans.add(new PiiSpan(PiiType.SECRET, i, end));
      i = end - 1;
    }
  }

  /** Base64, line breaks, and the {@code Proc-Type: 4,ENCRYPTED} style headers. */
  private static boolean pemBodyChar(char c) {
    return Chars.asciiAlnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == ':'
        || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static void highEntropy(String text, TextBits bits, List<PiiSpan> spans) {
    int n = text.length();
    int[] counts = null;
    // only the runs of base64 chars long enough to be a key with its padding, found from the bits
    for (int p = bits.next(TextBits.LONG_ENTROPY, 0); p >= 0; ) {
      int i = bits.previousOther(TextBits.ENTROPY, p) + 1;
      int end = bits.nextOther(TextBits.ENTROPY, p);
      int runEnd = end;
      for (int pad = 0; pad < 2 && end < n && text.charAt(end) == '='; pad++) {
        end++;
      }
      if (end - i >= MIN_ENTROPY_LENGTH && end - i <= MAX_ENTROPY_LENGTH
          && standsAlone(text, i, end)) {
        if (counts == null) {
          counts = new int[128];
        }
        if (random(text, i, end, counts)) {
          spans.add(new PiiSpan(PiiType.SECRET, i, end));
        }
      }
      p = bits.next(TextBits.LONG_ENTROPY, Math.max(runEnd, end));
    }
  }

  static boolean entropyChar(char c) {
    return Chars.asciiAlnum(c) || c == '+' || c == '/' || c == '_' || c == '-';
  }

  /** Not glued to a word, an e-mail or a dotted name on either side. */
  private static boolean standsAlone(String text, int start, int end) {
    if (start > 0) {
      char before = text.charAt(start - 1);
      if (Chars.word(before) || before == '@' || before == '='
          || (before == '.' && start > 1 && Chars.word(text.charAt(start - 2)))) {
        return false;
      }
    }
    if (end < text.length()) {
      char after = text.charAt(end);
      return !(Chars.word(after) || after == '@' || after == '='
          || (after == '.' && end + 1 < text.length() && Chars.word(text.charAt(end + 1))));
    }
    return true;
  }

  private static boolean random(String text, int start, int end, int[] counts) {
    java.util.Arrays.fill(counts, 0);
    int upper = 0;
    int lower = 0;
    int digits = 0;
    for (int k = start; k < end; k++) {
      char c = text.charAt(k);
      counts[c]++;
      if (Chars.upper(c)) {
        upper++;
      } else if (Chars.lower(c)) {
        lower++;
      } else if (Chars.digit(c)) {
        digits++;
      }
    }
    if (upper < 2 || lower < 2 || (digits < 2 && end - start < LETTERS_ONLY_LENGTH)) {
      return false;
    }
    int length = end - start;
    return entropy(counts, length) >= threshold(length);
  }

  /** The entropy a token of {@code length} chars must reach, in bits per char. */
  static double threshold(int length) {
    return Math.min(ENTROPY_CAP, ENTROPY_FACTOR * Math.log(length) / Math.log(2));
  }

  static double entropy(int[] counts, int length) {
    double bits = 0;
    for (int count : counts) {
      if (count > 0) {
        double p = (double) count / length;
        bits -= p * Math.log(p);
      }
    }
    return bits / Math.log(2);
  }
}
