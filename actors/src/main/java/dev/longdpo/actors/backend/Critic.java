package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.TaskSpec;
import java.util.List;

/** Writes suggestions for a weak step from siblings that beat it. Thread-safe. */
public interface Critic {

  /** At most {@code max} suggestions, most confident first. */
  List<Guidance> critique(
      TaskSpec task, String context, CriticProtocol.Reviewed chosen, List<CriticProtocol.Reviewed> siblings, int max);
}
