package dev.llmgateway.benchmarks.load;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event spanning one measured round of one arm, so that a recording's lock waits can be
 * told apart by arm ({@link LockProfile}). Committed by the runner for every measured round
 * (warm-ups excluded); it costs nothing while no recording enables it. Not thread-safe: one
 * instance per round, used by the thread that runs the round.
 */
@Name(RoundEvent.NAME)
@Label("Load round")
@Category("llm-gateway")
@Description("One measured round of one arm of the load runner")
@StackTrace(false)
final class RoundEvent extends Event {
  static final String NAME = "dev.llmgateway.benchmarks.load.Round";

  @Label("Mode")
  String mode;

  @Label("Callers")
  int callers;

  @Label("Arm")
  String arm;

  RoundEvent(String mode, int callers, String arm) {
    this.mode = mode;
    this.callers = callers;
    this.arm = arm;
  }
}
