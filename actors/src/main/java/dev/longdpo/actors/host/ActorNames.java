package dev.longdpo.actors.host;

/** Actor names from run ids (which allow characters actor names do not). */
public final class ActorNames {

  private ActorNames() {}

  /** {@code id} with every character an actor name may not hold replaced by '_'. */
  public static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9_.\\-]", "_");
  }
}
