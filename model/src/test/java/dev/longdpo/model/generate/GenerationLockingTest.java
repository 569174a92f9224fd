package dev.longdpo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import dev.longdpo.model.train.GradientLock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A training step gets in between two decoding steps of a generation, not after the batch. */
class GenerationLockingTest {

  @Test
  void aTrainingStepRunsBetweenDecodingStepsOfAGeneration() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> step = new CompletableFuture<>();
    CompletableFuture<Integer> queued = new CompletableFuture<>();
    try (LanguageModel model = TinyModels.randomTiny(21)) {
      // The hook runs inside a decoding step. At the 5th token it starts a training step on another
      // thread and holds the decoding step until that step is queued on the lock; the step then
      // runs as soon as this decoding step ends. The generation goes on to 40 tokens.
      LogitsHook hook = (history, logits) -> {
        int n = history.generatedCount();
        if (n == 5) {
          CompletableFuture.runAsync(() -> GradientLock.run(() -> events.add("training step")))
              .whenComplete((v, e) -> {
                if (e == null) {
                  step.complete(null);
                } else {
                  step.completeExceptionally(e);
                }
              });
          // The lock's queue is the only sign that the step thread has parked on it, so poll it
          // (no event to wait on); give up after 10 s and say so below.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (GradientLock.waitingThreads() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          queued.complete(GradientLock.waitingThreads());
        }
        if (n == 39) {
          events.add("last token");
        }
      };
      SamplingParams params = SamplingParams.sampling(1.0, 40).withStopAtEos(false);
      Generation g = model.generate(GenerationRequest.of(model.prefix(new int[] {1, 7, 9}), params, 3).withHook(hook));
      assertThat(queued).as("the hook ran at the 5th token").isDone();
      assertThat(queued.get()).as("the training step queued on the lock within 10 s").isPositive();
      step.get(10, TimeUnit.SECONDS);
      assertThat(g.length()).isEqualTo(40);
    }
    assertThat(events).containsExactly("training step", "last token");
  }
}
