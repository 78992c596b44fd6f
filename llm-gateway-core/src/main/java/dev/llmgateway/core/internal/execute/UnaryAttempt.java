package dev.llmgateway.core.internal.execute;

import dev.llmgateway.Attempt;
import dev.llmgateway.core.internal.health.DeploymentState;
import dev.llmgateway.internal.TimerWheel;
import dev.llmgateway.spi.AttemptContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A unary attempt and the gateway's own watch on its deadline, so a call ends at its deadline
 * whatever the {@link dev.llmgateway.spi.Provider} or an around-attempt interceptor does with it.
 * The thread that runs the attempt {@linkplain #enter enters} before calling the transport and
 * {@linkplain #leave leaves} after; a timer at the attempt's deadline (handed to the gateway's
 * executor) may {@linkplain #claim claim} the attempt only while that thread is inside: it then
 * owns the attempt's outcome (a timeout), cancels the attempt's context (the built-in transports
 * abort their HTTP call) and interrupts the thread inside (a provider blocked in {@code wait},
 * {@code sleep} or interruptible I/O returns). The thread clears that interrupt when it leaves,
 * so neither the caller's thread nor a pooled one keeps it. A thread that had left before the
 * timer ran decides the outcome itself from what the transport returned.
 *
 * <p>A provider that neither honours its context's cancellation nor its thread's interrupt keeps
 * the thread it runs on until it returns; the call's outcome is still the timeout, recorded at the
 * deadline. The {@link dev.llmgateway.spi.Provider} contract asks for one of the two.
 */
final class UnaryAttempt extends LiveAttempt implements Runnable {
  private static final int NOT_YET = 0;
  private static final int INSIDE = 1;
  private static final int LEFT = 2;
  private static final int CLAIMING = 3;
  private static final int CLAIMED = 4;
  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(UnaryAttempt.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through PHASE
  private volatile int phase;
  private @Nullable Thread runner; // set before INSIDE is published
  private TimerWheel.@Nullable Timer watch; // the runner's own
  private final UnaryExecution execution;
  /** Whether the runner's thread was interrupted before the watch interrupted it. */
  private boolean wasInterrupted; // written before CLAIMED is published

  UnaryAttempt(UnaryExecution execution, DeploymentState state, AttemptContext context,
      Attempt.Kind kind, int attemptsHere) {
    super(execution, state, context, kind, attemptsHere);
    this.execution = execution;
  }

  /**
   * The current thread runs the attempt now; {@link #run} runs at the attempt's deadline (handed
   * to an executor by the execution's timers) unless the thread has left by then.
   */
  void enter() {
    runner = Thread.currentThread();
    PHASE.setVolatile(this, INSIDE);
    long deadline = context.deadlineNanos();
    if (deadline != AttemptContext.NO_DEADLINE) {
      watch = execution.schedule(this, deadline - System.nanoTime());
    }
  }

  /**
   * The running thread returned from the transport. True when the watch claimed the attempt first
   * (its outcome is then the timeout, whatever the transport returned); the watch's interrupt is
   * cleared from the thread before this returns.
   */
  boolean leave() {
    TimerWheel.Timer w = watch;
    if (w != null) {
      w.cancel();
    }
    if (PHASE.compareAndSet(this, INSIDE, LEFT)) {
      return false;
    }
    while ((int) PHASE.getVolatile(this) != CLAIMED) {
      Thread.onSpinWait(); // the watch is between its claim and its interrupt: a few instructions
    }
    if (!wasInterrupted) {
      Thread.interrupted(); // the watch's interrupt, not the caller's
    }
    return true;
  }

  /** The attempt's deadline passed (on the gateway's executor): the execution's watch. */
  @Override
  public void run() {
    execution.overran(this);
  }

  /**
   * The deadline passed: claims the attempt if its thread is still inside the transport, cancels
   * its context and interrupts that thread. False when the thread had left (it decides).
   */
  boolean claim() {
    if (!PHASE.compareAndSet(this, INSIDE, CLAIMING)) {
      return false;
    }
    Thread t = runner;
    if (t != null) {
      wasInterrupted = t.isInterrupted();
      t.interrupt();
    }
    PHASE.setVolatile(this, CLAIMED);
    context.cancel();
    return true;
  }
}
