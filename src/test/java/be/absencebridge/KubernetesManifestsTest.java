package be.absencebridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders every overlay of {@code k8s/} with {@code kubectl kustomize} (as the README tells an operator to) and
 * checks the objects a cluster would get: the bridge's Deployment, its probes, limits and hardening, the leader
 * election's RBAC, the ConfigMaps built from the very files of {@code routes/} and {@code config/}, the Secret
 * references, the PodDisruptionBudget and the NetworkPolicy.
 */
class KubernetesManifestsTest {

    private static final Path OVERLAYS = Path.of("k8s", "overlays");
    private static final Set<String> OUT_OF_BAND_SECRETS = Set.of("absence-bridge-database", "absence-bridge-logins",
            "absence-bridge-vendors", "absence-bridge-smartschool-sintjan", "absence-bridge-smartschool-deklimop",
            "absence-bridge-smartschool-school1", "absence-bridge-smartschool-school2");

    @Test
    void thereAreAtLeastTwoOverlays() throws IOException {
        try (Stream<Path> overlays = Files.list(OVERLAYS)) {
            assertThat(overlays.map(p -> p.getFileName().toString())).contains("demo", "production");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "production"})
    void everyOverlayRendersToAHardenedDeploymentWithItsRoutesAndConfiguration(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> deployment = find(objects, "Deployment", "absence-bridge");
        Map<String, Object> spec = map(deployment, "spec");
        assertThat((Integer) spec.get("replicas")).isEqualTo(overlay.equals("production") ? 2 : 1);
        Map<String, Object> podTemplate = map(spec, "template");
        Map<String, Object> podLabels = map(map(podTemplate, "metadata"), "labels");
        assertThat(podLabels).containsAllEntriesOf(map(map(spec, "selector"), "matchLabels"));
        Map<String, Object> pod = map(podTemplate, "spec");

        // hardening: non-root, read-only root filesystem with a writable emptyDir for temp files
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        assertThat((Integer) map(pod, "securityContext").get("runAsUser")).isPositive();
        Map<String, Object> container = list(pod, "containers").get(0);
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        Map<String, String> mounts = new java.util.HashMap<>();
        list(container, "volumeMounts").forEach(m -> mounts.put((String) m.get("name"), (String) m.get("mountPath")));
        assertThat(mounts).containsEntry("tmp", "/tmp");
        Map<String, Map<String, Object>> volumes = new java.util.HashMap<>();
        list(pod, "volumes").forEach(v -> volumes.put((String) v.get("name"), v));
        assertThat(volumes.get("tmp")).containsKey("emptyDir");

        // probes on the management port, liveness and readiness groups; requests and limits
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness")
                .containsEntry("port", "management");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness")
                .containsEntry("port", "management");
        assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
        assertThat(map(map(container, "resources"), "limits")).containsKeys("cpu", "memory");

        // the routes and the configuration come from ConfigMaps that hold exactly the repository's files
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) container.get("args");
        assertThat(args).contains("--bridge.routes-location=file:" + mounts.get("routes"), "--bridge.config-dir=" + mounts.get("config"));
        Map<String, Object> routes = find(objects, "ConfigMap", configMapName(volumes.get("routes")));
        assertThat(map(routes, "data")).isEqualTo(files(Path.of("routes"), ".camel.yaml"));
        Map<String, Object> config = find(objects, "ConfigMap", configMapName(volumes.get("config")));
        for (String file : List.of("application.yaml", "application-kubernetes.yaml", "mappings.yaml")) {
            assertThat(map(config, "data")).containsEntry(file, Files.readString(Path.of("config", file)));
        }
        assertThat(map(config, "data")).as("the sim profile's credentials stay out of the cluster")
                .doesNotContainKey("application-sim.yaml");

        // environment: the kubernetes profile; every secret from a Secret (never a literal), every Secret known
        Map<String, Map<String, Object>> env = new java.util.HashMap<>();
        list(container, "env").forEach(e -> env.put((String) e.get("name"), e));
        assertThat(env.get("SPRING_PROFILES_ACTIVE")).containsEntry("value", "kubernetes");
        for (String secret : List.of("SPRING_DATASOURCE_PASSWORD", "BRIDGE_ADMIN_PASSWORD", "BRIDGE_VIEWER_PASSWORD",
                "BRIDGE_INFORMAT_CLIENT_SECRET",
                "BRIDGE_INFORMAT_WEBHOOK_SECRET")) {
            assertThat(env.get(secret)).as(secret).doesNotContainKey("value");
            String name = (String) map(map(env.get(secret), "valueFrom"), "secretKeyRef").get("name");
            boolean rendered = objects.stream().anyMatch(o -> "Secret".equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")));
            assertThat(rendered || OUT_OF_BAND_SECRETS.contains(name)).as(secret + " from " + name).isTrue();
        }
        String environment = (String) map(list(container, "envFrom").get(0), "configMapRef").get("name");
        Map<String, Object> data = map(find(objects, "ConfigMap", environment), "data");
        assertThat(data).containsKeys("BRIDGE_INFORMAT_IDENTITYURL", "BRIDGE_INFORMAT_STUDENTAPIURL",
                "BRIDGE_INFORMAT_PUPILAPIURL", "BRIDGE_INFORMAT_PARTNERURL");
        // a board: two Smartschool platforms or more, each with its address and its own Secret (access code, push secret)
        List<String> platforms = data.keySet().stream().filter(k -> k.matches("BRIDGE_SMARTSCHOOL_PLATFORMS_[A-Z0-9]+_BASEURL"))
                .map(k -> k.substring("BRIDGE_SMARTSCHOOL_PLATFORMS_".length(), k.length() - "_BASEURL".length())).toList();
        assertThat(platforms).as("the overlay's platforms").hasSizeGreaterThanOrEqualTo(2);
        for (String platform : platforms) {
            Map<String, Object> from = list(container, "envFrom").stream()
                    .filter(e -> ("BRIDGE_SMARTSCHOOL_PLATFORMS_" + platform + "_").equals(e.get("prefix"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no Secret for platform " + platform));
            String name = (String) map(from, "secretRef").get("name");
            boolean rendered = objects.stream().anyMatch(o -> "Secret".equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")));
            assertThat(rendered || OUT_OF_BAND_SECRETS.contains(name)).as("platform " + platform + " from " + name).isTrue();
        }

        // leader election: the pod's ServiceAccount may read and write Leases
        String account = (String) pod.get("serviceAccountName");
        find(objects, "ServiceAccount", account);
        Map<String, Object> binding = find(objects, "RoleBinding", "absence-bridge-leader-election");
        assertThat(list(binding, "subjects").get(0)).containsEntry("name", account);
        Map<String, Object> role = find(objects, "Role", (String) map(binding, "roleRef").get("name"));
        assertThat(list(role, "rules")).anySatisfy(rule -> {
            assertThat(strings(rule.get("resources"))).contains("leases");
            assertThat(strings(rule.get("verbs"))).contains("get", "create", "update");
        });

        // Service, PodDisruptionBudget and NetworkPolicy select the bridge's pods
        Map<String, Object> service = find(objects, "Service", "absence-bridge");
        assertThat(podLabels).containsAllEntriesOf(stringMap(map(map(service, "spec"), "selector")));
        assertThat(list(map(service, "spec"), "ports")).extracting(p -> p.get("port")).contains(8080, 8081);
        Map<String, Object> pdb = find(objects, "PodDisruptionBudget", "absence-bridge");
        assertThat(podLabels).containsAllEntriesOf(stringMap(map(map(map(pdb, "spec"), "selector"), "matchLabels")));
        Map<String, Object> policy = find(objects, "NetworkPolicy", "absence-bridge");
        assertThat(podLabels).containsAllEntriesOf(stringMap(map(map(map(policy, "spec"), "podSelector"), "matchLabels")));
        assertThat(strings(map(policy, "spec").get("policyTypes"))).contains("Ingress", "Egress");

        // everything in the overlay's namespace
        for (Map<String, Object> o : objects) {
            assertThat(map(o, "metadata").get("namespace")).as(o.get("kind") + " namespace")
                    .isEqualTo(overlay.equals("production") ? "absence-bridge" : "absence-bridge-demo");
        }
        if (overlay.equals("production")) {
            assertThat(objects).as("production renders no Secret: they are made outside the repository")
                    .noneMatch(o -> "Secret".equals(o.get("kind")));
            assertThat((String) container.get("image")).contains("/absence-bridge:");
        } else {
            find(objects, "Deployment", "absence-bridge-simulators");
            find(objects, "StatefulSet", "absence-bridge-postgres");
            assertThat(objects.stream().filter(o -> "Secret".equals(o.get("kind"))).map(o -> (String) map(o, "metadata").get("name")))
                    .as("the demo generates its own database's login alone: the logins and vendor credentials are made by hand")
                    .allMatch(name -> name.startsWith("absence-bridge-database"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "production"})
    void theBridgesEgressNamesEachPeerAndItsPorts(String overlay) throws Exception {
        Map<String, Object> spec = map(find(render(overlay), "NetworkPolicy", "absence-bridge"), "spec");
        List<Map<String, Object>> egress = list(spec, "egress");
        assertThat(egress).as("DNS and the overlay's peers").hasSizeGreaterThan(1);
        for (Map<String, Object> rule : egress) {
            // a rule without "to" allows every address, one without "ports" every port
            assertThat(rule.get("to")).as("egress rule " + rule + " names its peers").isInstanceOf(List.class);
            assertThat(list(rule, "to")).as("egress rule " + rule).isNotEmpty();
            assertThat(list(rule, "ports")).as("egress rule " + rule + " names its ports").isNotEmpty();
            for (Map<String, Object> peer : list(rule, "to")) {
                assertThat(peer.keySet()).as("egress peer " + peer).containsAnyOf("podSelector", "namespaceSelector", "ipBlock");
                if (peer.containsKey("ipBlock")) {
                    String cidr = (String) map(peer, "ipBlock").get("cidr");
                    assertThat(cidr).as("egress peer " + peer + ": not any address").doesNotEndWith("/0");
                }
                if (peer.containsKey("namespaceSelector")) {
                    // an empty namespaceSelector is every namespace of the cluster
                    assertThat(map(peer, "namespaceSelector").get("matchLabels")).as("egress peer " + peer + ": a named namespace")
                            .isInstanceOf(Map.class).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).isNotEmpty();
                }
            }
        }
        // the DNS rule reaches the cluster's resolver, nothing else on port 53
        assertThat(egress).filteredOn(rule -> list(rule, "ports").stream().anyMatch(p -> Integer.valueOf(53).equals(p.get("port"))))
                .singleElement().satisfies(dns -> assertThat(list(dns, "to")).allSatisfy(peer ->
                        assertThat(stringMap(map(map(peer, "podSelector"), "matchLabels"))).containsEntry("k8s-app", "kube-dns")));
        // the webhooks stay open to the ingress controller
        assertThat(list(spec, "ingress")).anySatisfy(rule -> {
            assertThat(list(rule, "ports")).extracting(p -> p.get("port")).containsExactly(8080);
            assertThat(list(rule, "from")).anySatisfy(peer -> assertThat(peer).containsKey("namespaceSelector"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "production"})
    void noRenderedSecretOrEnvironmentCarriesASimulatorsPublicValue(String overlay) throws Exception {
        Set<String> published = new HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bsim-[a-z0-9-]+")
                .matcher(Files.readString(Path.of("config", "application-sim.yaml")));
        while (m.find()) {
            published.add(m.group());
        }
        assertThat(published).as("the sim profile's published credentials").contains("sim-accesscode", "sim-informat-client-secret");
        List<String> values = new ArrayList<>();
        for (Map<String, Object> o : render(overlay)) {
            if ("Secret".equals(o.get("kind"))) {
                if (o.get("data") != null) {
                    stringMap(map(o, "data")).values().forEach(v -> values.add(new String(java.util.Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
                }
                if (o.get("stringData") != null) {
                    values.addAll(stringMap(map(o, "stringData")).values());
                }
            } else if ("ConfigMap".equals(o.get("kind")) && ((String) map(o, "metadata").get("name")).startsWith("absence-bridge-environment")) {
                values.addAll(stringMap(map(o, "data")).values());
            } else if ("Deployment".equals(o.get("kind"))) {
                for (Map<String, Object> c : list(map(map(map(o, "spec"), "template"), "spec"), "containers")) {
                    if (c.get("env") != null) {
                        list(c, "env").stream().filter(e -> e.get("value") != null).forEach(e -> values.add(String.valueOf(e.get("value"))));
                    }
                    if (c.get("args") != null) {
                        values.addAll(strings(c.get("args")));
                    }
                }
            }
        }
        assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(published).as("a rendered value: " + v)
                .noneMatch(p -> v.contains(p)));
    }

    @Test
    void theDemosBridgeAndSimulatorsTakeTheirVendorCredentialsFromTheSameSecrets() throws Exception {
        List<Map<String, Object>> objects = render("demo");
        Map<String, Object> bridge = list(map(map(map(find(objects, "Deployment", "absence-bridge"), "spec"), "template"), "spec"),
                "containers").get(0);
        Map<String, Object> simulators = list(map(map(map(find(objects, "Deployment", "absence-bridge-simulators"), "spec"),
                "template"), "spec"), "containers").get(0);
        assertThat(list(simulators, "env")).anySatisfy(e -> assertThat(e).containsEntry("name", "SPRING_PROFILES_ACTIVE")
                .containsEntry("value", "sim"));
        // Informat: the client credentials and the push secret, the same Secret and key on both sides
        Map<String, Map<String, Object>> bridgeRefs = secretRefs(bridge);
        Map<String, Map<String, Object>> simulatorRefs = secretRefs(simulators);
        for (String name : List.of("BRIDGE_INFORMAT_CLIENT_ID", "BRIDGE_INFORMAT_CLIENT_SECRET", "BRIDGE_INFORMAT_WEBHOOK_SECRET")) {
            assertThat(simulatorRefs.get(name)).as(name).isNotNull().isEqualTo(bridgeRefs.get(name));
        }
        // Smartschool: each platform's Secret under the same prefix, so the access code and the push secret match
        Map<Object, Object> bridgePlatforms = platformSecrets(bridge);
        assertThat(bridgePlatforms).containsKeys("BRIDGE_SMARTSCHOOL_PLATFORMS_SCHOOL1_", "BRIDGE_SMARTSCHOOL_PLATFORMS_SCHOOL2_");
        assertThat(platformSecrets(simulators)).isEqualTo(bridgePlatforms);
        // and none of these is generated by the overlay: they are made by hand (the header's commands)
        List<Object> shared = new ArrayList<>(bridgePlatforms.values());
        simulatorRefs.values().forEach(ref -> shared.add(ref.get("name")));
        assertThat(objects).filteredOn(o -> "Secret".equals(o.get("kind")))
                .noneMatch(o -> shared.contains(map(o, "metadata").get("name")));
        // the header tells how to make each of them
        String kustomization = Files.readString(OVERLAYS.resolve("demo").resolve("kustomization.yaml"));
        assertThat(kustomization).contains("create secret generic absence-bridge-vendors",
                "create secret generic absence-bridge-smartschool-$platform", "for platform in school1 school2");
    }

    /** A container's variables that come from a Secret: name to its secretKeyRef. */
    private static Map<String, Map<String, Object>> secretRefs(Map<String, Object> container) {
        Map<String, Map<String, Object>> out = new java.util.HashMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            if (e.get("valueFrom") != null && map(e, "valueFrom").get("secretKeyRef") != null) {
                out.put((String) e.get("name"), map(map(e, "valueFrom"), "secretKeyRef"));
            }
        }
        return out;
    }

    /** A container's Secrets taken whole: prefix to the Secret's name. */
    private static Map<Object, Object> platformSecrets(Map<String, Object> container) {
        Map<Object, Object> out = new java.util.HashMap<>();
        list(container, "envFrom").stream().filter(e -> e.get("secretRef") != null)
                .forEach(e -> out.put(e.get("prefix"), map(e, "secretRef").get("name")));
        return out;
    }

    private static List<Map<String, Object>> render(String overlay) throws Exception {
        // as kubectl apply -k renders it: with Kustomize's default load restrictor (no file outside a kustomization)
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString()).redirectErrorStream(false).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize " + overlay + ": " + err).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(new String(out, StandardCharsets.UTF_8))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) doc;
            if (o != null) {
                objects.add(o);
            }
        }
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> o : objects) {
            assertThat(seen.add(o.get("kind") + "/" + map(o, "metadata").get("name"))).as("unique objects").isTrue();
        }
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    private static String configMapName(Map<String, Object> volume) {
        assertThat(volume).as("a ConfigMap volume").containsKey("configMap");
        return (String) map(volume, "configMap").get("name");
    }

    private static Map<String, Object> files(Path dir, String suffix) throws IOException {
        Map<String, Object> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> o, String key) {
        Object v = o.get(key);
        assertThat(v).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> o, String key) {
        Object v = o.get(key);
        assertThat(v).as(key).isInstanceOf(List.class);
        return (List<Map<String, Object>>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Map<String, Object> o) {
        return (Map<String, String>) (Map<?, ?>) o;
    }
}
