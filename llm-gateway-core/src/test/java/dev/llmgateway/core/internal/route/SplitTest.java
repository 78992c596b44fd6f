package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The A/B split's placement over 100,000 seeded decisions: shares within one percentage point of
 * the weights, sticky keys stay put, and changing one variant's weight moves keys only to or from
 * that variant, by the change of its share.
 */
class SplitTest {
  private static final int DECISIONS = 100_000;
  private static final long SEED = 20251125L;

  private static RouteTree.SplitNode split(int... weights) {
    Variant[] variants = new Variant[weights.length];
    RouteTree.Leaf[] targets = new RouteTree.Leaf[weights.length];
    for (int i = 0; i < weights.length; i++) {
      Route route = Route.to("p/m" + i);
      variants[i] = Variant.of("v" + i, weights[i], route);
      targets[i] = new RouteTree.Leaf(route.candidates(), route.router(), route);
    }
    return new RouteTree.SplitNode("ab", List.of(variants), StickyKey.user(), targets);
  }

  private static String[] keys() {
    SplittableRandom random = new SplittableRandom(SEED);
    String[] keys = new String[DECISIONS];
    for (int i = 0; i < DECISIONS; i++) {
      keys[i] = "user-" + Long.toHexString(random.nextLong());
    }
    return keys;
  }

  private static double[] shares(int[] placed, int variants) {
    double[] shares = new double[variants];
    for (int v : placed) {
      shares[v] += 100.0 / placed.length;
    }
    return shares;
  }

  private static int[] place(RouteTree.SplitNode split, String[] keys) {
    int[] placed = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      placed[i] = split.variantOf(keys[i]);
    }
    return placed;
  }

  @Test
  void stickyKeysLandWithinOnePointOfEachWeight() {
    int[] weights = {50, 30, 15, 5};
    double[] shares = shares(place(split(weights), keys()), weights.length);
    for (int v = 0; v < weights.length; v++) {
      assertThat(shares[v]).as("variant %d", v).isCloseTo(weights[v], within(1.0));
    }
  }

  @Test
  void unevenWeightsThatDoNotSumToAHundredAreShares() {
    int[] weights = {1, 2, 7};
    double[] shares = shares(place(split(weights), keys()), weights.length);
    assertThat(shares[0]).isCloseTo(10, within(1.0));
    assertThat(shares[1]).isCloseTo(20, within(1.0));
    assertThat(shares[2]).isCloseTo(70, within(1.0));
  }

  @Test
  void randomDrawsWithoutAKeyLandWithinOnePointOfEachWeight() {
    int[] weights = {70, 20, 10};
    RouteTree.SplitNode split = split(weights);
    SplittableRandom random = new SplittableRandom(SEED);
    int[] placed = new int[DECISIONS];
    for (int i = 0; i < DECISIONS; i++) {
      placed[i] = split.draw(random.nextLong(100));
    }
    double[] shares = shares(placed, weights.length);
    for (int v = 0; v < weights.length; v++) {
      assertThat(shares[v]).isCloseTo(weights[v], within(1.0));
    }
  }

  @Test
  void aStickyKeyNeverChangesVariantWhileWeightsAreUnchanged() {
    String[] keys = keys();
    int[] first = place(split(40, 40, 20), keys);
    int[] again = place(split(40, 40, 20), keys); // a new gateway, same weights
    assertThat(again).isEqualTo(first);
    RouteTree.SplitNode one = split(40, 40, 20);
    for (int i = 0; i < 1000; i++) {
      assertThat(one.variantOf(keys[i])).isEqualTo(first[i]);
    }
  }

  @Test
  void raisingOneWeightMovesKeysOnlyToThatVariantByTheChangeOfItsShare() {
    String[] keys = keys();
    int[] before = place(split(50, 30, 20), keys); // variant 1: 30 %
    int[] after = place(split(50, 45, 20), keys); // variant 1: 45 / 115 = 39.13 %
    int moved = 0;
    for (int i = 0; i < keys.length; i++) {
      if (before[i] != after[i]) {
        moved++;
        assertThat(after[i]).as("key %d moved to", i).isEqualTo(1);
      }
    }
    double shareChange = 100.0 * 45 / 115 - 30.0;
    assertThat(100.0 * moved / keys.length).isCloseTo(shareChange, within(1.0));
  }

  @Test
  void loweringOneWeightMovesKeysOnlyAwayFromThatVariant() {
    String[] keys = keys();
    int[] before = place(split(25, 25, 50), keys); // variant 2: 50 %
    int[] after = place(split(25, 25, 10), keys); // variant 2: 10 / 60 = 16.67 %
    int moved = 0;
    for (int i = 0; i < keys.length; i++) {
      if (before[i] != after[i]) {
        moved++;
        assertThat(before[i]).as("key %d moved from", i).isEqualTo(2);
      }
    }
    double shareChange = 50.0 - 100.0 * 10 / 60;
    assertThat(100.0 * moved / keys.length).isCloseTo(shareChange, within(1.0));
  }

  @Test
  void aZeroWeightVariantGetsNoKeysAndTurningItOnTakesOnlyItsShare() {
    String[] keys = keys();
    int[] off = place(split(60, 40, 0), keys);
    assertThat(off).doesNotContain(2);
    int[] on = place(split(60, 40, 25), keys); // 25 / 125 = 20 %
    int moved = 0;
    for (int i = 0; i < keys.length; i++) {
      if (off[i] != on[i]) {
        moved++;
        assertThat(on[i]).isEqualTo(2);
      }
    }
    assertThat(100.0 * moved / keys.length).isCloseTo(20.0, within(1.0));
  }
}
