package dev.longdpo.cli.ctl;

import dev.longdpo.cli.ExitCodes;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A ctl verb: opens the client, runs, and turns every failure into one line and an exit code. */
abstract class CtlVerb implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand CtlCommand ctl;

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (CtlClient client = CtlClient.open(ctl.endpoint, ctl.tokenFile)) {
      return run(client, spec.commandLine().getOut(), err);
    } catch (CtlException e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (StatusRuntimeException e) {
      err.println("error: " + CtlClient.describe(e, ctl.endpoint));
      return CtlClient.exitCode(e);
    }
  }

  abstract int run(CtlClient client, PrintWriter out, PrintWriter err) throws CtlException;

  static int ok() {
    return ExitCodes.OK;
  }
}
