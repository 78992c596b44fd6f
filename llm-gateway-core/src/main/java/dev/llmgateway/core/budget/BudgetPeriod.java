package dev.llmgateway.core.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * The calendar period a {@link Budget} counts over, in the budget's time zone: spending starts
 * from zero at the start of each period. A period starts at midnight (or the zone's first moment
 * of that day, across a daylight-saving gap) of its first day. Thread-safe.
 */
public enum BudgetPeriod {
  /** A calendar day. */
  DAY,
  /** An ISO week, Monday to Sunday. */
  WEEK,
  /** A calendar month: the default. */
  MONTH;

  /**
   * The first instant of the period that holds {@code at}, in {@code zone}.
   *
   * @param at an instant
   * @param zone the budget's time zone
   * @return the period's start, at or before {@code at}
   */
  public Instant start(Instant at, ZoneId zone) {
    return firstDay(at, zone).atStartOfDay(zone).toInstant();
  }

  /**
   * The first instant after the period that holds {@code at}, in {@code zone} (the next period's
   * start).
   *
   * @param at an instant
   * @param zone the budget's time zone
   * @return the period's end, after {@code at}
   */
  public Instant end(Instant at, ZoneId zone) {
    LocalDate first = firstDay(at, zone);
    LocalDate next = switch (this) {
      case DAY -> first.plusDays(1);
      case WEEK -> first.plusWeeks(1);
      case MONTH -> first.plusMonths(1);
    };
    return next.atStartOfDay(zone).toInstant();
  }

  /** The period's name in messages: {@code day}, {@code week}, {@code month}. */
  public String label() {
    return switch (this) {
      case DAY -> "day";
      case WEEK -> "week";
      case MONTH -> "month";
    };
  }

  private LocalDate firstDay(Instant at, ZoneId zone) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(zone, "zone");
    LocalDate day = LocalDate.ofInstant(at, zone);
    return switch (this) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }
}
