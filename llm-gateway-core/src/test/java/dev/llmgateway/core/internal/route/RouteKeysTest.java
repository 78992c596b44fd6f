package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.internal.call.RouteKey;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The route keys a tree makes at build: one per way a walk reaches a candidate list (split alias,
 * variant, downgrade), handed out without allocating, equal only when every part is.
 */
@Timeout(30)
class RouteKeysTest {

  private static RouteTree.Leaf leaf(String deployment) {
    Route route = Route.to(deployment);
    return new RouteTree.Leaf(route.candidates(), route.router(), route);
  }

  @Test
  void everyWayToAListGetsOneKeyAtBuildAndTheWalkReusesIt() {
    RouteTree.Leaf small = leaf("p/small");
    RouteTree.Leaf big = leaf("p/big");
    RouteTree.SplitNode split = new RouteTree.SplitNode("ab",
        List.of(Variant.of("Aa", 1, "p/big"), Variant.of("BB", 1, "p/small")), StickyKey.none(),
        new RouteTree.Node[] {big, small});
    RouteTree.DowngradeNode smart = new RouteTree.DowngradeNode(split, "smart", "cheap");
    RouteTree.AliasNode cheap = new RouteTree.AliasNode("alias cheap", small);
    smart.target(cheap);

    HashSet<List<Object>> seen = new HashSet<>();
    smart.reach(null, null, false, seen);
    cheap.reach(null, null, false, seen);

    RouteKey bigA = big.key("ab", "Aa", false);
    RouteKey smallB = small.key("ab", "BB", false);
    RouteKey smallDowngraded = small.key(null, null, true);
    RouteKey smallDirect = small.key(null, null, false);
    assertThat(big.key("ab", "Aa", false)).isSameAs(bigA);
    assertThat(small.key("ab", "BB", false)).isSameAs(smallB);
    assertThat(small.key(null, null, true)).isSameAs(smallDowngraded);
    assertThat(small.key(null, null, false)).isSameAs(smallDirect);
    assertThat(List.of(bigA, smallB, smallDowngraded, smallDirect)).doesNotHaveDuplicates();
  }

  @Test
  void keysWithEqualHashesAreEqualOnlyWhenEveryPartIs() {
    RouteTree.Leaf one = leaf("p/one");
    RouteKey aa = new RouteKey(one, "ab", "Aa", false);
    RouteKey bb = new RouteKey(one, "ab", "BB", false);

    assertThat(aa.hashCode()).isEqualTo(bb.hashCode());
    assertThat(aa).isNotEqualTo(bb);
    assertThat(aa).isEqualTo(new RouteKey(one, "ab", "Aa", false));
    assertThat(aa).isNotEqualTo(new RouteKey(one, "cd", "Aa", false));
    assertThat(aa).isNotEqualTo(new RouteKey(one, "ab", "Aa", true));
    assertThat(aa).isNotEqualTo(new RouteKey(leaf("p/one"), "ab", "Aa", false));
    assertThat(one.key("ab", "Aa", false)).as("a way not foreseen at build").isEqualTo(aa);
    assertThat(RouteKey.DIRECT).isNotEqualTo(new RouteKey(one, null, null, false));
  }
}
