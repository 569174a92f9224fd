package dev.longdpo.protocol.cluster;

import dev.longdpo.protocol.KryoMessage;
import java.util.Arrays;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages of the run manager (the cluster singleton). Control requests travel as the bytes of
 * their {@code longdpo.control} Protobuf messages, so a node's control server only forwards them
 * and the gRPC schema stays the one description of the API.
 */
public interface RunManagerProtocol {

  /** What the run manager accepts (its own internal messages too: those never leave its node). */
  interface Command {}

  /** The control methods the manager answers. */
  enum Method {
    SUBMIT,
    LIST_RUNS,
    STATUS,
    STOP,
    CANCEL,
    PAUSE,
    RESUME,
    EVALUATE
  }

  /**
   * One control call.
   *
   * @param request the serialized request message of {@code method}
   */
  record Call(Method method, byte[] request, ActorRef<Answer> replyTo) implements Command, KryoMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Call c && method == c.method && Arrays.equals(request, c.request) && replyTo.equals(c.replyTo);
    }

    @Override
    public int hashCode() {
      return Objects.hash(method, Arrays.hashCode(request), replyTo);
    }

    @Override
    public String toString() {
      return "Call[" + method + ", " + request.length + " bytes, " + replyTo + "]";
    }
  }

  /**
   * The answer to a {@link Call}.
   *
   * @param status a gRPC status code: 0 (OK, {@code reply} holds the reply message), 3 (invalid
   *     argument), 5 (not found), 9 (failed precondition) or 13 (internal)
   * @param message the error, naming the thing and the place
   */
  record Answer(int status, String message, byte[] reply) implements KryoMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Answer a && status == a.status && message.equals(a.message) && Arrays.equals(reply, a.reply);
    }

    @Override
    public int hashCode() {
      return Objects.hash(status, message, Arrays.hashCode(reply));
    }

    @Override
    public String toString() {
      return "Answer[" + status + ", " + message + ", " + reply.length + " bytes]";
    }
  }

  /** Asks for the run root's marker token (a node checks that it sees the same run root). */
  record GetRootToken(ActorRef<RootToken> replyTo) implements Command, KryoMessage {}

  /** The run root's marker token. */
  record RootToken(String token) implements KryoMessage {}
}
