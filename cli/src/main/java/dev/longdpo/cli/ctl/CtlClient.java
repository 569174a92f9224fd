package dev.longdpo.cli.ctl;

import dev.longdpo.cli.ExitCodes;
import dev.longdpo.protocol.control.ControlGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A channel to one node's control port, with the token attached when given. */
final class CtlClient implements AutoCloseable {

  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("longdpo-token", Metadata.ASCII_STRING_MARSHALLER);

  /** Seconds a single call may take (a submit with a model's files included). */
  static final long CALL_SECONDS = 60;

  private final ManagedChannel channel;
  private final ControlGrpc.ControlBlockingStub stub;

  private CtlClient(ManagedChannel channel, ControlGrpc.ControlBlockingStub stub) {
    this.channel = channel;
    this.stub = stub;
  }

  static CtlClient open(String endpoint, Path tokenFile) throws CtlException {
    int colon = endpoint.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new CtlException(ExitCodes.USAGE, "--endpoint '" + endpoint + "': expected host:port");
    }
    if (colon <= 0 || port < 1 || port > 65535) {
      throw new CtlException(ExitCodes.USAGE, "--endpoint '" + endpoint + "': expected host:port");
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress(endpoint.substring(0, colon), port)
        .usePlaintext()
        .maxInboundMessageSize(64 << 20)
        .build();
    ControlGrpc.ControlBlockingStub stub = ControlGrpc.newBlockingStub(channel);
    if (tokenFile != null) {
      String token;
      try {
        token = Files.readString(tokenFile).trim();
      } catch (IOException e) {
        channel.shutdownNow();
        throw new CtlException(ExitCodes.BAD_INPUT, "--token-file " + tokenFile + ": cannot be read: " + e.getMessage());
      }
      Metadata headers = new Metadata();
      headers.put(TOKEN, token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return new CtlClient(channel, stub);
  }

  /** The stub for a streamed answer that may take long (an export): 30 minutes at most. */
  ControlGrpc.ControlBlockingStub stream() {
    return stub.withDeadlineAfter(30, TimeUnit.MINUTES);
  }

  /** The stub, with a deadline for one call. */
  ControlGrpc.ControlBlockingStub call() {
    return stub.withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
  }

  static int exitCode(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> ExitCodes.UNREACHABLE;
      case NOT_FOUND -> ExitCodes.UNKNOWN_RUN;
      case INVALID_ARGUMENT -> ExitCodes.BAD_INPUT;
      case UNAUTHENTICATED, PERMISSION_DENIED -> ExitCodes.REFUSED;
      case FAILED_PRECONDITION -> ExitCodes.WRONG_STATE;
      default -> ExitCodes.FAILURE;
    };
  }

  static String describe(StatusRuntimeException e, String endpoint) {
    String d = e.getStatus().getDescription();
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE -> d != null && d.startsWith("the run manager")
          ? endpoint + ": " + d
          : "cannot reach the control endpoint " + endpoint + " (is a node running there?)"
              + (d == null ? "" : ": " + d);
      case DEADLINE_EXCEEDED -> "the control endpoint " + endpoint + " did not answer within " + CALL_SECONDS + " s";
      case UNAUTHENTICATED -> endpoint + " refused the call: " + (d == null ? "token" : d);
      default -> d == null ? e.getStatus().toString() : d;
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
