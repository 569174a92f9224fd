package dev.longdpo.model.train;

import static org.assertj.core.api.Assertions.assertThat;

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
    Thread[] inferenceThread = new Thread[1];
    Future<?> inference = pool.submit(() -> {
      inferenceThread[0] = Thread.currentThread();
      return GradientLock.shared(() -> events.add("inference"));
    });
    // Wait until the inference thread is parked on the lock, then let the step finish.
    while (inferenceThread[0] == null || inferenceThread[0].getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    releaseStep.countDown();
    step.get(10, TimeUnit.SECONDS);
    inference.get(10, TimeUnit.SECONDS);
    assertThat(events).containsExactly("step starts", "step ends", "inference");
  }

  @Test
  void aStepMayRunInferenceOnItsOwnThread() {
    assertThat(GradientLock.run(() -> GradientLock.shared(() -> "scored inside the step"))).isEqualTo("scored inside the step");
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
