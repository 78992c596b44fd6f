package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads that meet a calling code for the first time at once, each building its regions'
 * automata, all answer what the library answers: in every round the automata are forgotten, four
 * threads start together on a latch and check the same numbers in a seeded order of their own.
 */
@Timeout(120)
class PhoneValidityRaceTest {

  private static final int ROUNDS = 2_000;
  private static final int THREADS = 4;

  @Test
  void concurrentFirstUsesAnswerAsTheLibrary() throws Exception {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    // codes of one region and of several (+7: Russia and Kazakhstan, +39: Italy and the Vatican)
    List<String> numbers = List.of("74951234567", "77012345678", "390612345678",
        "390669812345", "493012345678", "4930123", "33123456789", "3312345678", "79001234567",
        "390669");
    List<Boolean> expected = new ArrayList<>();
    for (String digits : numbers) {
      expected.add(libraryValid(util, digits));
    }
    assertThat(expected).contains(true, false);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        PhoneValidity.forgetForTest();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Random order = new Random(round * 31L + t);
          done.add(pool.submit(() -> {
            start.await();
            for (int k = 0; k < numbers.size(); k++) {
              int i = order.nextInt(numbers.size());
              char[] digits = numbers.get(i).toCharArray();
              boolean sure = PhoneValidity.surelyValid(util, digits, digits.length);
              if (sure) {
                assertThat(expected.get(i)).as("+%s", numbers.get(i)).isTrue();
              }
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> future : done) {
          future.get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < numbers.size(); i++) {
          char[] digits = numbers.get(i).toCharArray();
          assertThat(PhoneValidity.surelyValid(util, digits, digits.length))
              .as("round %d, +%s after the race", round, numbers.get(i))
              .isEqualTo(expected.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean libraryValid(PhoneNumberUtil util, String digits) {
    try {
      return util.isValidNumber(util.parseAndKeepRawInput("+" + digits, "ZZ"));
    } catch (NumberParseException e) {
      return false;
    }
  }
}
