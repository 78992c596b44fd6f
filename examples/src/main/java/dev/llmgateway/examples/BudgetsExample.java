package dev.llmgateway.examples;

import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetStatus;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A monthly budget per team: team {@code support} has $1.00 a month (small, so the demo gets
 * there in a few calls). Its calls to the {@code assistant} alias go to {@code openai/gpt-4.1}
 * until 80 % of the budget is spent; from then on they are downgraded to {@code assistant-lite}
 * ({@code openai/gpt-4.1-mini}) — the decision trail says why — while a call marked critical keeps
 * its model. When what is left no longer covers the most a call can cost, calls are refused
 * naming the budget. A listener hears of 50 %, 80 % and 100 %; the admin status shows spent,
 * reserved and remaining; a new month starts from zero (the clock is the example's own, moved by
 * hand). Costs come from the bundled price table. Offline: the provider is a fake.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.BudgetsExample}
 */
public final class BudgetsExample {
  private BudgetsExample() {}

  /** A long answer: 200 tokens in, 18,750 out; at gpt-4.1's $2 / $8 per million, $0.1504. */
  private static final Usage LONG_ANSWER = Usage.of(200, 18_750);

  public static void main(String[] args) {
    HandClock clock = new HandClock(Instant.parse("2026-12-07T09:00:00Z"));
    FakeProvider openai = FakeProvider.builder().name("openai").build();
    Principal support = Principal.builder().org("acme").team("support").build();

    Budgets budgets = Budgets.builder()
        .budget(Budget.perId("support-monthly", Scope.TEAM, "1.00")) // every team: $1 a month
        .listener(event -> System.out.println("   >> alert: budget '" + event.status().name()
            + "' of team " + event.status().id() + " reached " + event.percent() + "%"
            + (event.refusal() ? " (a call was refused)" : "")))
        .build();
    try (Gateway gateway = Gateway.builder()
        .provider(openai)
        .clock(clock)
        .alias("assistant", Route.to("openai/gpt-4.1").downgradeTo("assistant-lite"))
        .alias("assistant-lite", Route.to("openai/gpt-4.1-mini"))
        .budgets(budgets)
        .build()) {

      ChatRequest question = ChatRequest.builder("assistant")
          .user("Summarise this support ticket for the handover: " + "details ".repeat(94))
          .maxOutputTokens(20_000)
          .build();
      ChatRequest urgent = question.toBuilder().maxOutputTokens(2_000)
          .options(question.options().withCritical(true)).build();

      for (int i = 1; i <= 7; i++) {
        openai.on(i <= 6 ? "gpt-4.1" : "gpt-4.1-mini").reply("Summary " + i, LONG_ANSWER);
        call(gateway, "call " + i, question, support, budgets);
      }
      openai.on("gpt-4.1").reply("Urgent summary", Usage.of(200, 1_500));
      call(gateway, "critical", urgent, support, budgets);
      openai.on("gpt-4.1-mini").reply("Summary 9", LONG_ANSWER);
      call(gateway, "call 9", question, support, budgets);
      call(gateway, "call 10", question, support, budgets);

      BudgetStatus status = budgets.status("support-monthly", support);
      System.out.println("status: spent $" + status.spent().toPlainString() + " ("
          + status.percentSpent() + "%), reserved $" + status.reserved().toPlainString()
          + ", remaining $" + status.remaining().toPlainString() + " of $"
          + status.limit().toPlainString() + " until " + status.periodEnd());

      clock.set(Instant.parse("2027-01-04T09:00:00Z"));
      openai.on("gpt-4.1").reply("Summary 11", LONG_ANSWER);
      call(gateway, "January", question, support, budgets);
    }
  }

  private static void call(Gateway gateway, String title, ChatRequest request,
      Principal caller, Budgets budgets) {
    try {
      ChatResponse answer = gateway.chat(request, caller);
      BudgetStatus status = budgets.status("support-monthly", caller);
      String downgraded = answer.routing().path().stream()
          .filter(step -> step.startsWith("downgraded")).findFirst().orElse("");
      System.out.println(String.format("%-8s -> %-19s $%-7s spent %3d%%  %s", title,
          answer.deployment(), answer.cost().stripTrailingZeros().toPlainString(),
          status.percentSpent(), downgraded).stripTrailing());
    } catch (BudgetExceededException e) {
      System.out.printf("%-8s -> refused: %s%n", title, e.getMessage());
    }
  }

  /** A clock that stands still until the example moves it. */
  private static final class HandClock extends Clock {
    private volatile Instant now;

    HandClock(Instant start) {
      this.now = start;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the example's clock stays in UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

}
