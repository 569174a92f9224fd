package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.NodeInfo;
import dev.longdpo.protocol.control.NodesReply;
import dev.longdpo.protocol.control.NodesRequest;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code ctl nodes}: the cluster's members as the answering node sees them. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "The cluster's nodes: address, status, reachability, roles.")
final class CtlNodes extends CtlVerb {

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) {
    NodesReply reply = client.call().nodes(NodesRequest.getDefaultInstance());
    for (NodeInfo n : reply.getNodesList()) {
      boolean manager = n.getAddress().equals(reply.getManagerAddress());
      out.println(String.format(Locale.ROOT, "%-36s %-8s %-11s %s%s", n.getAddress(), n.getStatus(),
          n.getReachable() ? "reachable" : "UNREACHABLE", String.join(",", n.getRolesList()),
          manager ? "  (run manager)" : ""));
    }
    return ok();
  }
}
