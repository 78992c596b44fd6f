package dev.llmgateway.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void armCAndThePacedCheckRunByDefault() {
    LoadRunner.Options o = LoadRunner.Options.parse(new String[0]);

    assertThat(o.proxy).isTrue();
    assertThat(o.proxyDir).isEqualTo(Path.of("llm-gateway-benchmarks", "target", "portkey"));
    assertThat(o.pacedMs).isEqualTo(5);
    assertThat(o.pacedCallers).containsExactly(1, 16);
  }

  @Test
  void noProxySkipsArmC() {
    LoadRunner.Options o = LoadRunner.Options.parse(new String[] {"--quick", "--no-proxy"});

    assertThat(o.proxy).isFalse();
    assertThat(o.describe()).contains("arm C off (--no-proxy)");
  }

  @Test
  void pacedMsZeroSkipsThePacedCheck() {
    LoadRunner.Options o = LoadRunner.Options.parse(new String[] {"--paced-ms", "0"});

    assertThat(o.describe()).contains("no paced check");
  }

  @Test
  void previousNamesAnEarlierLoadJson() {
    LoadRunner.Options o = LoadRunner.Options.parse(new String[] {"--previous", "old/load.json"});

    assertThat(o.previous).isEqualTo(Path.of("old", "load.json"));
    assertThat(LoadRunner.Options.parse(new String[0]).previous).isNull();
  }

  @Test
  void jfrProfilesLocksAtTheHighestCallersCountIntoTarget() {
    LoadRunner.Options o =
        LoadRunner.Options.parse(new String[] {"--jfr", "--callers", "64,1,16"});

    assertThat(o.jfr).isTrue();
    assertThat(o.jfrFile)
        .isEqualTo(Path.of("llm-gateway-benchmarks", "target", "load-locks.jfr"));
    assertThat(o.describe()).endsWith("; JFR lock profile at 64 callers (--jfr)");
    assertThat(LoadRunner.Options.parse(new String[0]).describe()).doesNotContain("JFR");
  }

  @Test
  void negativePaceIsRejectedNamingTheOption() {
    assertThatThrownBy(() -> LoadRunner.Options.parse(new String[] {"--paced-ms", "-1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--paced-ms must be >= 0, was -1");
  }
}
