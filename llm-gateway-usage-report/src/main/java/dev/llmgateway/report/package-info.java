/**
 * Usage reports over the gateway's JSON Lines usage files: {@link dev.llmgateway.report.UsageReport}
 * (the library API), {@link dev.llmgateway.report.TextReport} and
 * {@link dev.llmgateway.report.HtmlReport} (renderers), and
 * {@link dev.llmgateway.report.UsageReportCli} (the {@code usage-report} command).
 *
 * <h2>The input: usage record JSON Lines, schema 1</h2>
 *
 * <p>This is the contract between the writer in core and this module, copied here so the reader
 * is checked against it.
 *
 * <p>One JSON object per line, UTF-8, {@code \n} terminated. Two record types, told apart by
 * {@code "record"}. Readers ignore unknown fields (later schema versions only add fields); a reader
 * refuses a line whose {@code schema} is greater than the newest it knows, with a message naming
 * the line.
 *
 * <p>A call record ({@code "record":"call"}):
 *
 * <pre>{@code
 * {"schema":1,"record":"call","callId":"cd4q-2","timestamp":"2026-12-07T10:00:00.123Z",
 *  "kind":"chat","outcome":"succeeded","errorType":null,"refusal":null,"cacheHit":false,
 *  "principal":{"org":"acme","team":"search","project":"web","user":"u-17","keyId":"key-1"},
 *  "tags":["checkout","beta"],"requestedModel":"smart","variant":"cheapest",
 *  "deployment":"openai/gpt-4.1-mini","servedModel":"gpt-4.1-mini-2025-04-14",
 *  "usage":{"input":96,"output":9,"cachedInput":0,"cacheWrite":0,"cacheWrite1h":0,"reasoning":0,"estimated":false},
 *  "cost":"0.000264","latencyMicros":1515980,"timeToFirstTokenMicros":null,
 *  "attempts":[{"number":1,"kind":"first","deployment":"openai/gpt-4.1","outcome":"failed","httpStatus":529,
 *               "latencyMicros":20100,"errorType":"ProviderOverloadedException","reason":"529 overloaded_error",
 *               "usage":{"input":0,"output":0,"cachedInput":0,"cacheWrite":0,"cacheWrite1h":0,"reasoning":0,"estimated":false}}],
 *  "policies":[]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code kind}: {@code chat} | {@code stream} | {@code embed} (lower case of
 *       {@code CallKind}).
 *   <li>{@code outcome}: {@code succeeded} | {@code failed} | {@code refused} | {@code cancelled}
 *       | {@code stream_failed} (a stream that failed after its commit point: the caller had
 *       events) | {@code not_started} (a stream never subscribed). {@code errorType} is the simple
 *       class name of the exception for {@code failed}, {@code refused}, {@code stream_failed},
 *       else null. {@code refusal} is {@code authentication} | {@code access} | {@code limit} |
 *       {@code budget} | {@code policy} when outcome is {@code refused}, else null. A cache hit is
 *       {@code succeeded} with {@code "cacheHit":true} (cost "0", usage zeros).
 *   <li>{@code principal}: null when authentication failed; each member may be null (omitted
 *       members mean null). {@code user} is the host application's user id as the principal
 *       carries it (the JSON is billing data for the host; logs never print it).
 *   <li>{@code cost}: US dollars as a JSON string holding a plain decimal (exact; parse with
 *       {@code new BigDecimal}), or null when a price was unknown.
 *   <li>{@code variant}: the A/B variant or null. {@code deployment}: {@code provider/model} that
 *       served the call, or null.
 *   <li>durations are integer microseconds.
 *   <li>{@code usage} sums every attempt; {@code estimated} true if any count was the gateway's
 *       estimate.
 *   <li>{@code policies}: verdicts of input/output policies, each
 *       {@code {"policy":"pii","verdict":"redacted","detail":"EMAIL x2"}}; empty until the
 *       policies issue lands.
 * </ul>
 *
 * <p>A feedback record ({@code "record":"feedback"}), joined to its call by {@code callId}; a
 * finite score (a thumbs-up as 1 or 0, an eval's result); of several feedback records for one call, the last wins:
 *
 * <pre>{@code
 * {"schema":1,"record":"feedback","callId":"cd4q-2","timestamp":"2026-12-07T10:00:05Z","score":0.8}
 * }</pre>
 *
 * <h2>How this module reads it</h2>
 *
 * <p>Fields used: {@code callId}, {@code timestamp}, {@code outcome}, {@code errorType},
 * {@code cacheHit}, {@code principal.team}, {@code principal.project}, {@code tags},
 * {@code requestedModel}, {@code variant}, {@code deployment}, {@code usage.input},
 * {@code usage.output}, {@code usage.cachedInput}, {@code usage.reasoning}, {@code cost},
 * {@code latencyMicros}; feedback's {@code callId}, {@code timestamp}, {@code score}. "The last
 * wins" is read as the latest timestamp, the one read last on a tie. Record types other than call
 * and feedback are counted and ignored. A cost must be a plain decimal of at most 40 digits and
 * scale within ±30, else its line is invalid (a cost like {@code 1e999999999} would make exact sums
 * explode).
 */
@NullMarked
package dev.llmgateway.report;

import org.jspecify.annotations.NullMarked;
