package dev.longdpo.protocol.cluster;

import dev.longdpo.protocol.KryoMessage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages of the run manager (the cluster singleton). Control requests travel as the bytes of
 * their {@code longdpo.control} Protobuf messages, so a node's control server only forwards them
 * and the gRPC schema stays the one description of the API.
 */
public interface RunManagerProtocol {

  /** What the run manager accepts. */
  interface Command extends KryoMessage {}

  /** The control methods the manager answers. */
  enum Method {
    SUBMIT,
    LIST_RUNS,
    STATUS,
    STOP,
    CANCEL
  }

  /**
   * One control call.
   *
   * @param request the serialized request message of {@code method}
   */
  record Call(Method method, byte[] request, ActorRef<Answer> replyTo) implements Command {}

  /**
   * The answer to a {@link Call}.
   *
   * @param status a gRPC status code: 0 (OK, {@code reply} holds the reply message), 3 (invalid
   *     argument), 5 (not found), 9 (failed precondition) or 13 (internal)
   * @param message the error, naming the thing and the place
   */
  record Answer(int status, String message, byte[] reply) implements KryoMessage {}

  /** Asks for the run root's marker token (a node checks that it sees the same run root). */
  record GetRootToken(ActorRef<RootToken> replyTo) implements Command {}

  /** The run root's marker token. */
  record RootToken(String token) implements KryoMessage {}
}
