package dev.longdpo.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Training steps run alone; inference calls run beside each other. */
class GradientLockTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void inferenceCallsRunSideBySide() throws Exception {
    CountDownLatch bothInside = new CountDownLatch(2);
    Future<Boolean> a = pool.submit(() -> GradientLock.shared(() -> meet(bothInside)));
    Future<Boolean> b = pool.submit(() -> GradientLock.shared(() -> meet(bothInside)));
    // Each waits inside its call for the other to arrive: only possible if both hold the lock.
    assertThat(a.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anInferenceCallWaitsForTheStepInProgress() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch stepInside = new CountDownLatch(1);
    CountDownLatch releaseStep = new CountDownLatch(1);
    Future<?> step = pool.submit(() -> GradientLock.run(() -> {
      events.add("step starts");
      stepInside.countDown();
      await(releaseStep);
      events.add("step ends");
      return null;
    }));
    assertThat(stepInside.await(10, TimeUnit.SECONDS)).isTrue();
    Future<?> inference = pool.submit(() -> GradientLock.shared(() -> events.add("inference")));
    // Wait until the inference call is queued on the lock, then let the step finish.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (GradientLock.waitingThreads() == 0) {
      assertThat(System.nanoTime()).as("the inference call never queued").isLessThan(deadline);
      Thread.onSpinWait();
    }
    releaseStep.countDown();
    step.get(10, TimeUnit.SECONDS);
    inference.get(10, TimeUnit.SECONDS);
    assertThat(events).containsExactly("step starts", "step ends", "inference");
  }

  @Test
  void aStepMayRunInferenceOnItsOwnThread() {
    String scored = GradientLock.run(() -> GradientLock.shared(() -> "scored inside the step"));
    assertThat(scored).isEqualTo("scored inside the step");
  }

  @Test
  void aStepInsideAnInferenceCallIsRefusedRatherThanWaitingForever() {
    assertThatThrownBy(() -> GradientLock.shared(() -> GradientLock.run(() -> "never")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside an inference call");
  }

  private static boolean meet(CountDownLatch latch) {
    latch.countDown();
    return await(latch);
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
