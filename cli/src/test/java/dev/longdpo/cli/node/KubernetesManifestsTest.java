package dev.longdpo.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.cli.CommandLineFactory;
import dev.longdpo.cli.LauncherScript;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * deploy/kubernetes against the node it deploys: every container's arguments parse as {@code
 * longdpo node} options (the real command line), its named ports are the ports those options
 * give, the probes ask the management port's /ready and /alive, every role runs on two pods or
 * more, Cluster Bootstrap's discovery selects the pods' labels and port, and the Service, the
 * mounts and Prometheus' Kubernetes scrape job point where the nodes listen.
 */
class KubernetesManifestsTest {

  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final List<JsonNode> DOCS = new ArrayList<>();

  @BeforeAll
  static void read() throws IOException {
    try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode doc = it.next();
            if (doc != null && !doc.isEmpty()) {
              DOCS.add(doc);
            }
          }
        }
      }
    }
  }

  private static List<JsonNode> kind(String kind) {
    return DOCS.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  /** The container's arguments as the node command parses them. */
  private static NodeCommand parse(JsonNode container) {
    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    CommandLine cli = CommandLineFactory.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("node");
    return (NodeCommand) parsed.subcommand().commandSpec().userObject();
  }

  private static Map<String, Integer> namedPorts(JsonNode container) {
    Map<String, Integer> out = new HashMap<>();
    container.get("ports").forEach(p -> out.put(p.get("name").asText(), p.get("containerPort").asInt()));
    return out;
  }

  @Test
  void everyNodeListensWhereItsPortsProbesAndMountsSay() {
    List<JsonNode> deployments = kind("Deployment");
    assertThat(deployments).isNotEmpty();
    Map<String, Integer> podsByRole = new HashMap<>();
    for (JsonNode d : deployments) {
      JsonNode pod = d.at("/spec/template");
      JsonNode container = pod.at("/spec/containers/0");
      NodeCommand node = parse(container);
      String name = d.at("/metadata/name").asText();
      assertThat(node.roles).as(name).isNotEmpty();
      assertThat(NodeSettings.ROLES).as(name).containsAll(node.roles);
      node.roles.forEach(r -> podsByRole.merge(r, d.at("/spec/replicas").asInt(), Integer::sum));
      assertThat(node.bootstrap).as(name + ": Cluster Bootstrap, no seed nodes").isTrue();
      assertThat(node.seedNodes).as(name).isNull();

      Map<String, Integer> ports = namedPorts(container);
      assertThat(ports).as(name).containsEntry("remoting", node.port).containsEntry("control", node.controlPort)
          .containsEntry("metrics", node.metricsPort).containsEntry("management", node.managementPort);
      assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
      assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/alive");
      assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
      assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("management");
      assertThat(pod.at("/metadata/labels/app").asText()).isEqualTo("longdpo");
      assertThat(d.at("/spec/selector/matchLabels")).isEqualTo(pod.at("/metadata/labels"));

      Map<String, String> mounts = new HashMap<>();
      container.get("volumeMounts").forEach(m -> mounts.put(m.get("name").asText(), m.get("mountPath").asText()));
      assertThat(node.runRoot.toString()).as(name + ": the run root is the shared volume").isEqualTo(mounts.get("runs"));
      for (Path secretFile : List.of(node.tokenFile, node.tlsKeyStore, node.tlsPasswordFile)) {
        assertThat(secretFile.getParent().toString()).as(name).isEqualTo(mounts.get("secrets"));
      }
      Set<String> volumes = new HashSet<>();
      pod.at("/spec/volumes").forEach(v -> volumes.add(v.get("name").asText()));
      assertThat(volumes).as(name).containsAll(mounts.keySet());
    }
    // Losing any one pod loses no role.
    assertThat(podsByRole.keySet()).containsExactlyInAnyOrderElementsOf(NodeSettings.ROLES);
    podsByRole.forEach((role, pods) -> assertThat(pods).as(role).isGreaterThanOrEqualTo(2));
  }

  @Test
  void aPodThatOnlyTrainsStartsWithTrainingsMallocSettingsAndNoOtherDoes(@TempDir Path scratch) throws Exception {
    int trainerOnly = 0;
    for (JsonNode d : kind("Deployment")) {
      JsonNode container = d.at("/spec/template/spec/containers/0");
      String name = d.at("/metadata/name").asText();
      Map<String, String> env = new HashMap<>(Map.of("LONGDPO_CLASSPATH", "/opt/longdpo/lib/*"));
      container.path("env").forEach(e -> {
        if (e.has("value")) {
          env.put(e.get("name").asText(), e.get("value").asText());
        }
      });
      // The image's entry point chooses them by role; a pod's own would apply whatever its role.
      assertThat(env.keySet()).as(name).noneMatch(k -> k.startsWith("MALLOC_"));
      List<String> args = new ArrayList<>();
      container.get("args").forEach(a -> args.add(a.asText()));
      LauncherScript.Launch launch = LauncherScript.run(scratch, env, args);
      assertThat(launch.exitCode()).as(name + ": " + launch.stderr()).isZero();
      assertThat(launch.programArgs()).as(name).isEqualTo(args);
      // The pod's heap reaches the JVM after the script's 512 MB cap (JAVA_TOOL_OPTIONS would come before it, and lose).
      assertThat(env.getOrDefault("JAVA_TOOL_OPTIONS", "")).as(name).doesNotContain("-Xmx");
      List<String> heaps = launch.javaArgs().stream().filter(a -> a.startsWith("-Xmx")).toList();
      String declared = java.util.Arrays.stream(env.getOrDefault("LONGDPO_JAVA_OPTS", "").split(" "))
          .filter(a -> a.startsWith("-Xmx")).reduce("-Xmx512m", (a, b) -> b);
      assertThat(heaps.get(heaps.size() - 1)).as(name).isEqualTo(declared);
      if (NodeProcess.trainsOnly(String.join(",", parse(container).roles))) {
        trainerOnly++;
        assertThat(launch.malloc()).as(name).isEqualTo(LauncherScript.trainingSettings());
      } else {
        assertThat(launch.malloc()).as(name).isEqualTo(LauncherScript.launcherSettings());
      }
    }
    assertThat(trainerOnly).isPositive();
  }

  @Test
  void bootstrapFindsThePodsAndTheServiceAndPrometheusReachThem() throws IOException {
    JsonNode deployment = kind("Deployment").get(0);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    Map<String, Integer> ports = namedPorts(container);
    JsonNode configMap = kind("ConfigMap").get(0);
    Config conf = ConfigFactory.parseString(configMap.at("/data/application.conf").asText());
    String p = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertThat(conf.getString(p + "discovery-method")).isEqualTo("kubernetes-api");
    String selector = String.format(conf.getString("pekko.discovery.kubernetes-api.pod-label-selector"),
        conf.getString(p + "service-name"));
    String[] label = selector.split("=");
    assertThat(deployment.at("/spec/template/metadata/labels/" + label[0]).asText()).isEqualTo(label[1]);
    assertThat(ports).containsKey(conf.getString("pekko.discovery.kubernetes-api.pod-port-name"));
    String configMount = null;
    for (JsonNode m : container.get("volumeMounts")) {
      if (m.get("name").asText().equals("config")) {
        configMount = m.get("mountPath").asText();
      }
    }
    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    assertThat(args).as("--config names the ConfigMap's file").contains("--config=" + configMount + "/application.conf");
    assertThat(configMap.at("/metadata/name").asText()).isEqualTo(volume(deployment, "config").at("/configMap/name").asText());

    JsonNode service = kind("Service").get(0);
    service.at("/spec/selector").fields().forEachRemaining(e ->
        assertThat(deployment.at("/spec/template/metadata/labels/" + e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    assertThat(ports).containsKey(service.at("/spec/ports/0/targetPort").asText());
    assertThat(kind("PersistentVolumeClaim").get(0).at("/metadata/name").asText())
        .isEqualTo(volume(deployment, "runs").at("/persistentVolumeClaim/claimName").asText());

    JsonNode prometheus = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
    boolean scrapesThePods = false;
    for (JsonNode job : prometheus.get("scrape_configs")) {
      for (JsonNode relabel : job.path("relabel_configs")) {
        if (relabel.path("target_label").asText().equals("__address__")) {
          assertThat(relabel.get("replacement").asText()).isEqualTo("$1:" + ports.get("metrics"));
          scrapesThePods = true;
        }
      }
    }
    assertThat(scrapesThePods).as("prometheus.yml scrapes the pods' metrics port").isTrue();
  }

  private static JsonNode volume(JsonNode deployment, String name) {
    for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }
}
