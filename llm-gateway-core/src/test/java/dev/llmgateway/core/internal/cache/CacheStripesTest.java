package dev.llmgateway.core.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How many stripes a response cache of a given size gets. */
@Timeout(10)
class CacheStripesTest {
  @Test
  void smallCachesAreOneStripeSoTheirBoundIsExact() {
    assertThat(CacheInterceptor.stripesFor(1)).isEqualTo(1);
    assertThat(CacheInterceptor.stripesFor(511)).isEqualTo(1);
  }

  @Test
  void largerCachesGetAPowerOfTwoOfStripesUpToSixteen() {
    assertThat(CacheInterceptor.stripesFor(512)).isEqualTo(2);
    assertThat(CacheInterceptor.stripesFor(1_024)).isEqualTo(4);
    assertThat(CacheInterceptor.stripesFor(1_500)).isEqualTo(4);
    assertThat(CacheInterceptor.stripesFor(10_000)).isEqualTo(16);
    assertThat(CacheInterceptor.stripesFor(Long.MAX_VALUE)).isEqualTo(16);
  }
}
