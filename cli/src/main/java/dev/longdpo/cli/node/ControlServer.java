package dev.longdpo.cli.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.longdpo.coordinator.cluster.RunStatusView;
import dev.longdpo.protocol.cluster.NodeStatsProtocol;
import dev.longdpo.protocol.cluster.RunManagerProtocol;
import dev.longdpo.protocol.control.CheckpointsReply;
import dev.longdpo.protocol.control.CheckpointsRequest;
import dev.longdpo.protocol.control.ControlGrpc;
import dev.longdpo.protocol.control.EvaluateRequest;
import dev.longdpo.protocol.control.ExportChunk;
import dev.longdpo.protocol.control.ExportRequest;
import dev.longdpo.protocol.control.ListRunsReply;
import dev.longdpo.protocol.control.ListRunsRequest;
import dev.longdpo.protocol.control.NodeInfo;
import dev.longdpo.protocol.control.NodesReply;
import dev.longdpo.protocol.control.NodesRequest;
import dev.longdpo.protocol.control.PauseRequest;
import dev.longdpo.protocol.control.Phase;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StatusRequest;
import dev.longdpo.protocol.control.StopRequest;
import dev.longdpo.protocol.control.SubmitReply;
import dev.longdpo.protocol.control.SubmitRequest;
import dev.longdpo.protocol.control.TopReply;
import dev.longdpo.protocol.control.TopRequest;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node's control API: the gRPC {@code Control} service on the control port. Run calls are
 * forwarded to the run manager (wherever the singleton lives); {@code Nodes} is answered from this
 * node's view of the cluster. With a token configured every call must carry it.
 */
final class ControlServer implements AutoCloseable {

  /** The metadata key the token travels under. */
  static final Metadata.Key<String> TOKEN = Metadata.Key.of("longdpo-token", Metadata.ASCII_STRING_MARSHALLER);

  /** Files of a submitted model travel in the request. */
  static final int MAX_MESSAGE_BYTES = 512 << 20;

  private static final Duration MANAGER_TIMEOUT = Duration.ofSeconds(20);

  private static final java.util.Set<Phase> TERMINAL = java.util.EnumSet.of(Phase.DONE, Phase.FAILED, Phase.STOPPED,
      Phase.CANCELLED);

  private final Server server;

  private ControlServer(Server server) {
    this.server = server;
  }

  /** Binds {@code host:port} (0: any free port) and starts serving. */
  static ControlServer start(String host, int port, Optional<String> token, ActorSystem<?> system,
      ActorRef<RunManagerProtocol.Command> manager, ActorRef<NodeStatsProtocol.Command> stats, Path runRoot)
      throws IOException {
    Service service = new Service(system, manager, stats, new RunFiles(runRoot));
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .addService(ServerInterceptors.intercept(service, new TokenCheck(token)))
        .build()
        .start();
    return new ControlServer(server);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  /** Refuses calls without the node's token (compared in constant time). */
  private record TokenCheck(Optional<String> token) implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      if (token.isPresent()) {
        String given = headers.get(TOKEN);
        byte[] a = token.get().getBytes(StandardCharsets.UTF_8);
        byte[] b = (given == null ? "" : given).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(a, b)) {
          call.close(Status.UNAUTHENTICATED.withDescription(given == null
              ? "this node requires a token (ctl --token-file FILE)" : "wrong token"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
      }
      return next.startCall(call, headers);
    }
  }

  private static final class Service extends ControlGrpc.ControlImplBase {
    private final ActorSystem<?> system;
    private final ActorRef<RunManagerProtocol.Command> manager;
    private final ActorRef<NodeStatsProtocol.Command> stats;
    private final RunFiles files;

    Service(ActorSystem<?> system, ActorRef<RunManagerProtocol.Command> manager,
        ActorRef<NodeStatsProtocol.Command> stats, RunFiles files) {
      this.system = system;
      this.stats = stats;
      this.manager = manager;
      this.files = files;
    }

    @Override
    public void checkpoints(CheckpointsRequest r,
        StreamObserver<CheckpointsReply> out) {
      try {
        out.onNext(files.checkpoints(r.getRunId()));
        out.onCompleted();
      } catch (RunFiles.UnknownRun | IOException | RuntimeException e) {
        out.onError(status(e, "cannot read the checkpoints of " + r.getRunId()));
      }
    }

    @Override
    public void evaluate(EvaluateRequest r, StreamObserver<RunStatus> out) {
      forward(RunManagerProtocol.Method.EVALUATE, r, RunStatus.parser(), out);
    }

    /**
     * The export is written to a temporary file first (a damaged log fails before anything is
     * sent), then streamed in chunks of 1 MiB; the client writes its output atomically.
     */
    @Override
    public void export(ExportRequest r,
        StreamObserver<ExportChunk> out) {
      Path tmp = null;
      try {
        tmp = Files.createTempFile("longdpo-export", ".jsonl");
        int pairs;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          pairs = files.export(r.getRunId(), r.getFormat(), r.getFinalOnly(), r.getEndMarker(), w);
        }
        byte[] buf = new byte[1 << 20];
        boolean first = true;
        try (InputStream in = Files.newInputStream(tmp)) {
          int n;
          while ((n = in.readNBytes(buf, 0, buf.length)) > 0 || first) {
            ExportChunk.Builder c = ExportChunk.newBuilder()
                .setData(ByteString.copyFrom(buf, 0, n));
            if (first) {
              c.setPairs(pairs);
              first = false;
            }
            out.onNext(c.build());
            if (n == 0) {
              break;
            }
          }
        }
        out.onCompleted();
      } catch (RunFiles.UnknownRun | IOException | RuntimeException e) {
        out.onError(status(e, "cannot export " + r.getRunId()));
      } finally {
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException ignored) {
            // a temporary file left in the temp directory
          }
        }
      }
    }

    @Override
    public void submit(SubmitRequest r, StreamObserver<SubmitReply> out) {
      SubmitRequest forwarded;
      try {
        forwarded = files.stageModel(r);
      } catch (IOException | RuntimeException e) {
        out.onError(status(e, "cannot stage the model's files in the run root"));
        return;
      }
      forward(RunManagerProtocol.Method.SUBMIT, forwarded, SubmitReply.parser(), out);
    }

    @Override
    public void listRuns(ListRunsRequest r, StreamObserver<ListRunsReply> out) {
      forward(RunManagerProtocol.Method.LIST_RUNS, r, ListRunsReply.parser(), out);
    }

    @Override
    public void status(StatusRequest r, StreamObserver<RunStatus> out) {
      forward(RunManagerProtocol.Method.STATUS, r, RunStatus.parser(), out);
    }

    @Override
    public void stop(StopRequest r, StreamObserver<RunStatus> out) {
      forward(RunManagerProtocol.Method.STOP, r, RunStatus.parser(), out);
    }

    @Override
    public void cancel(StopRequest r, StreamObserver<RunStatus> out) {
      forward(RunManagerProtocol.Method.CANCEL, r, RunStatus.parser(), out);
    }

    @Override
    public void pause(PauseRequest r, StreamObserver<RunStatus> out) {
      forward(RunManagerProtocol.Method.PAUSE, r, RunStatus.parser(), out);
    }

    @Override
    public void resume(PauseRequest r, StreamObserver<RunStatus> out) {
      forward(RunManagerProtocol.Method.RESUME, r, RunStatus.parser(), out);
    }

    @Override
    public void top(TopRequest r, StreamObserver<TopReply> out) {
      // This node's view of every node, then the active run's status from the run manager (none
      // when no manager answers: the nodes still show).
      AskPattern.<NodeStatsProtocol.Command, byte[]>ask(stats, NodeStatsProtocol.GetTop::new, MANAGER_TIMEOUT,
              system.scheduler())
          .thenCompose(bytes -> activeRun().handle((active, error) -> {
            try {
              TopReply.Builder b = TopReply.parseFrom(bytes).toBuilder();
              if (active != null) {
                b.setActive(active).setHasActive(true);
              }
              return b.build();
            } catch (InvalidProtocolBufferException e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          }))
          .whenComplete((reply, error) -> {
            if (error != null) {
              out.onError(Status.UNAVAILABLE.withDescription("top: " + error.getMessage()).asRuntimeException());
            } else {
              out.onNext(reply);
              out.onCompleted();
            }
          });
    }

    /** The status of the run that is not over yet (the first one, in submit order), or null. */
    private java.util.concurrent.CompletionStage<RunStatus> activeRun() {
      return call(RunManagerProtocol.Method.LIST_RUNS, ListRunsRequest.getDefaultInstance()).thenCompose(answer -> {
        try {
          for (RunStatus s : ListRunsReply.parseFrom(answer).getRunsList()) {
            if (!TERMINAL.contains(s.getPhase()) && s.getPhase() != Phase.QUEUED) {
              return call(RunManagerProtocol.Method.STATUS, StatusRequest.newBuilder().setRunId(s.getRunId()).build())
                  .thenApply(status -> {
                    try {
                      return RunStatus.parseFrom(status);
                    } catch (InvalidProtocolBufferException e) {
                      throw new java.util.concurrent.CompletionException(e);
                    }
                  });
            }
          }
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (InvalidProtocolBufferException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
    }

    /** A run manager call's reply bytes (failed when it answers with an error). */
    private java.util.concurrent.CompletionStage<byte[]> call(RunManagerProtocol.Method method, Message request) {
      return AskPattern.<RunManagerProtocol.Command, RunManagerProtocol.Answer>ask(manager,
              replyTo -> new RunManagerProtocol.Call(method, request.toByteArray(), replyTo), MANAGER_TIMEOUT,
              system.scheduler())
          .thenApply(a -> {
            if (a.status() != 0) {
              throw new IllegalStateException(a.message());
            }
            return a.reply();
          });
    }

    @Override
    public void nodes(NodesRequest r, StreamObserver<NodesReply> out) {
      var state = Cluster.get(system).state();
      NodesReply.Builder b = NodesReply.newBuilder().addAllNodes(RunStatusView.nodes(state));
      dev.longdpo.actors.host.ClusterMembers.managerNode(state).ifPresent(m -> b.setManagerAddress(m.address().toString()));
      out.onNext(b.build());
      out.onCompleted();
    }

    /**
     * A call answered by this node from the run root failed: an unknown run is NOT_FOUND, bad
     * input (an {@link IllegalArgumentException}) INVALID_ARGUMENT, anything else INTERNAL with
     * {@code what} was being done.
     */
    private static StatusRuntimeException status(Exception e, String what) {
      if (e instanceof RunFiles.UnknownRun) {
        return Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
      }
      if (e instanceof IllegalArgumentException) {
        return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
      }
      return Status.INTERNAL.withDescription(what + ": " + e).asRuntimeException();
    }

    private <A extends Message> void forward(RunManagerProtocol.Method method, Message request, Parser<A> parser,
        StreamObserver<A> out) {
      AskPattern.<RunManagerProtocol.Command, RunManagerProtocol.Answer>ask(manager,
              replyTo -> new RunManagerProtocol.Call(method, request.toByteArray(), replyTo), MANAGER_TIMEOUT,
              system.scheduler())
          .whenComplete((answer, error) -> {
            if (error != null) {
              out.onError(Status.UNAVAILABLE.withDescription("the run manager did not answer within "
                  + MANAGER_TIMEOUT.toSeconds() + " s (no coordinator node up, or it is moving): " + error.getMessage())
                  .asRuntimeException());
            } else if (answer.status() != 0) {
              out.onError(Status.fromCodeValue(answer.status()).withDescription(answer.message()).asRuntimeException());
            } else {
              try {
                out.onNext(parser.parseFrom(answer.reply()));
                out.onCompleted();
              } catch (InvalidProtocolBufferException e) {
                out.onError(Status.INTERNAL.withDescription("unreadable answer: " + e.getMessage()).asRuntimeException());
              }
            }
          });
    }
  }
}
