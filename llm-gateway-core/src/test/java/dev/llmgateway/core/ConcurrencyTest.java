package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int THREADS = 16;
  private static final int CALLS = 10_000;

  @Test
  void sixteenThreadsMakingTenThousandMixedCallsGetOneRecordEachWithTheirOwnCallerAndTokens()
      throws Exception {
    StubProvider stub = new StubProvider("stub");
    stub.deltas = r -> List.of(r.lastUserText(), "-answer");
    InMemoryUsageSink usage = new InMemoryUsageSink();
    Map<String, ChatResponse> responses = new ConcurrentHashMap<>();
    ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    try (Gateway gateway = Gateway.builder().provider(stub).usageSink(usage).build()) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(callers.submit(() -> {
          for (int i = thread; i < CALLS; i += THREADS) {
            Principal caller = Principal.of("team-" + (i % 7), "user-" + i);
            ChatRequest request = ChatRequest.of("m", "question " + i);
            ChatResponse response = switch (i % 3) {
              case 0 -> gateway.chat(request, caller);
              case 1 -> gateway.chatAsync(request, caller).join();
              default -> gateway.stream(request, caller).collect();
            };
            responses.put("user-" + i, response);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      callers.shutdownNow();
    }

    List<UsageRecord> records = usage.records();
    assertThat(records).hasSize(CALLS);
    assertThat(records).extracting(UsageRecord::callId).doesNotHaveDuplicates();
    for (UsageRecord record : records) {
      String user = record.principal().userId();
      int i = Integer.parseInt(user.substring("user-".length()));
      ChatResponse response = responses.get(user);
      assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
      assertThat(record.principal().teamId()).isEqualTo("team-" + (i % 7));
      assertThat(record.kind()).isEqualTo(i % 3 == 2 ? CallKind.STREAM : CallKind.CHAT);
      assertThat(response.text()).isEqualTo("question " + i + "-answer");
      assertThat(record.callId()).isEqualTo(response.callId());
      assertThat(record.usage()).isEqualTo(response.usage())
          .isEqualTo(StubProvider.usageFor(ChatRequest.of("m", "question " + i),
              response.text()));
    }
  }
}
