package dev.longdpo.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manager that was superseded stops writing; the newest one goes on. */
class ManagerFenceTest {

  @TempDir Path root;

  @Test
  void aLaterClaimFencesTheEarlierOwnerOut() throws Exception {
    ManagerFence first = ManagerFence.claim(root, "pekko://longdpo@10.0.0.1:2552");
    first.check();
    ManagerFence second = ManagerFence.claim(root, "pekko://longdpo@10.0.0.2:2552");
    assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
    second.check();
    assertThatThrownBy(first::check).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("10.0.0.1").hasMessageContaining("superseded by epoch 2");
    assertThat(Files.readString(root.resolve(ManagerFence.FILE))).isEqualTo("2 pekko://longdpo@10.0.0.2:2552\n");
  }

  @Test
  void aDamagedFenceFileIsNamed() throws Exception {
    Files.writeString(root.resolve(ManagerFence.FILE), "two\n");
    assertThatThrownBy(() -> ManagerFence.claim(root, "me")).hasMessageContaining(ManagerFence.FILE)
        .hasMessageContaining("not a manager epoch");
  }
}
