package dev.longdpo.testbed.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitTest {

  private final World world = World.get();

  @Test
  void theSplitsPartitionTheWorldAndEachHasEveryKind() {
    List<World.Subject> all = new ArrayList<>();
    for (Split s : Split.values()) {
      all.addAll(world.subjects(s));
      assertThat(world.subjects(s).stream().map(World.Subject::kind).collect(Collectors.toSet()))
          .as("kinds of " + s)
          .containsExactlyInAnyOrderElementsOf(Lexicon.get().kinds().keySet());
      for (World.Subject subject : world.subjects(s)) {
        assertThat(world.splitOf(subject.name())).contains(s);
      }
    }
    assertThat(all).hasSize(world.subjects().size()).containsExactlyInAnyOrderElementsOf(world.subjects());
    assertThat(world.subjects(Split.TRAIN)).hasSize(34);
    assertThat(world.subjects(Split.VALIDATION)).hasSize(17);
    assertThat(world.subjects(Split.TEST)).hasSize(17);
    assertThat(world.splitOf("Nowhere")).isEmpty();
  }

  /**
   * The split takes no setting, so nothing but a change to the world or to this rule moves a
   * subject; pinned so that such a change is seen (every earlier result's split would change).
   */
  @Test
  void theTestSplitIsPinned() {
    assertThat(world.subjects(Split.TEST).stream().map(World.Subject::name).toList()).containsExactly(
        "Stiogaim", "Nikleam", "Zifomais", "Deapax", "Pakleand Niodafex", "Feaberk Baivasund", "Bimaipund Kekli",
        "Zeathior Lotriosax", "Pabral", "Leastam", "Tunais", "Drioneas", "Tapim", "Fiothal", "Dregaix", "Stila", "Popex");
  }

  @Test
  void tasksOfASplitAreAboutItsSubjectsOnlyWhateverTheSeedAndSize() {
    for (Split s : Split.values()) {
      Set<String> allowed = world.subjects(s).stream().map(World.Subject::name).collect(Collectors.toSet());
      Set<String> seen = new HashSet<>();
      for (long seed : new long[] {1, 101, 202, 303, 9_999}) {
        List<WritingTask> tasks = new ArrayList<>(new TaskGenerator(seed, s).generate(40, 10));
        tasks.addAll(new TaskGenerator(seed, s).generateMix(new int[] {5, 4, 3, 2}, 3));
        for (WritingTask t : tasks) {
          assertThat(allowed).as(t.id() + " of " + s).contains(t.topic().orElseThrow().subject());
          seen.add(t.topic().orElseThrow().subject());
        }
      }
      assertThat(seen).as("every subject of " + s + " is used").isEqualTo(allowed);
    }
  }

  @Test
  void splitNamesParseAndABadOneIsNamed() {
    assertThat(Split.parse("validation")).isEqualTo(Split.VALIDATION);
    assertThat(Split.TEST.label()).isEqualTo("test");
    assertThatThrownBy(() -> Split.parse("eval")).hasMessage("'eval' is not a split (train, validation or test)");
  }
}
