package dev.longdpo.testbed;

import dev.longdpo.testbed.task.Topic;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.World;
import java.util.Optional;

/** Hand-made tasks for tests (shared with other modules through the test jar). */
public final class TestTasks {

  private TestTasks() {}

  /** A plain task about the world's first city, with its true facts. */
  public static WritingTask cityTask(int length) {
    World.Subject city = World.get().subjects("city").get(0);
    return new WritingTask("t", "In about " + length + " words, write about the city of " + city.name() + ".",
        length, "plain", Optional.of(new Topic("city", city.name(), city.facts())), Optional.empty());
  }

  /** The name of the n-th city of the world. */
  public static String city(int n) {
    return World.get().subjects("city").get(n).name();
  }
}
