package be.absencebridge;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.kubernetes.springboot.cluster.KubernetesClusterServiceAutoConfiguration;
import org.apache.camel.component.master.springboot.MasterComponentAutoConfiguration;
import org.apache.camel.component.openshift.build_configs.springboot.OpenshiftBuildConfigsComponentAutoConfiguration;
import org.apache.camel.component.openshift.builds.springboot.OpenshiftBuildsComponentAutoConfiguration;
import org.apache.camel.component.openshift.deploymentconfigs.springboot.OpenshiftDeploymentConfigsComponentAutoConfiguration;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The pollers' leader election as the kubernetes profile configures it ({@code config/application-kubernetes.yaml}:
 * Camel's Kubernetes cluster service on a Lease, {@code bridge.pollers.leader} = {@code master:absence-bridge-pollers:}),
 * against fabric8's Kubernetes API server, on the product's own classpath: the OpenShift client and models are left
 * out of it (pom.xml), and the Lease is still taken and the master route runs. The OpenShift components' starters
 * still load (their endpoints, which need the OpenShift client, are used by no route).
 */
@CamelSpringBootTest
@SpringBootTest(classes = KubernetesLeaseTest.LeaderElection.class, properties = {
        // the kubernetes profile's file alone: the cluster service, its labels and the pollers' master prefix
        "spring.config.location=classpath:application-kubernetes.yaml",
        "logging.structured.format.console=",
        "camel.cluster.kubernetes.kubernetes-namespace=" + KubernetesLeaseTest.NAMESPACE,
        "camel.cluster.kubernetes.pod-name=" + KubernetesLeaseTest.POD,
        "camel.cluster.kubernetes.retry-period-millis=200",
        "camel.cluster.kubernetes.renew-deadline-millis=1000",
        "camel.cluster.kubernetes.lease-duration-millis=2000"})
class KubernetesLeaseTest {

    static final String NAMESPACE = "absence-bridge";
    static final String POD = "absence-bridge-7d9f-abcde";

    private static final KubernetesMockServer API = new KubernetesMockServer(new Context(), new MockWebServer(),
            new HashMap<>(), new KubernetesCrudDispatcher(), false);
    private static KubernetesClient client;
    private static final Map<String, java.util.function.Supplier<String>> KUBERNETES_CLIENT = Map.of(
            "kubernetes.master", () -> API.url("/"), "kubernetes.namespace", () -> NAMESPACE,
            "kubernetes.auth.tryKubeConfig", () -> "false", "kubernetes.auth.tryServiceAccount", () -> "false");

    /** Not a {@code @SpringBootConfiguration}, nor a component: the product's tests and scans never find it. */
    @ImportAutoConfiguration({CamelAutoConfiguration.class, KubernetesClusterServiceAutoConfiguration.class,
            MasterComponentAutoConfiguration.class, OpenshiftBuildsComponentAutoConfiguration.class,
            OpenshiftBuildConfigsComponentAutoConfiguration.class, OpenshiftDeploymentConfigsComponentAutoConfiguration.class})
    static class LeaderElection {
        /** A route with the pollers' prefix: it runs on the Lease holder only. */
        @Bean
        RouteBuilder leaderOnly() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("{{bridge.pollers.leader}}timer:lease-test?period=200").routeId("lease-test").to("mock:leader");
                }
            };
        }
    }

    @BeforeAll
    static void startTheApiServer() {
        API.init();
        client = API.createClient();
        // the cluster service's client configures itself as in a pod (no master-url in the profile): here from these
        KUBERNETES_CLIENT.forEach((key, value) -> System.setProperty(key, value.get()));
        // the cluster's members are the pods with the profile's labels: this pod is one
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/name", "absence-bridge", "app.kubernetes.io/component", "bridge"))
                .endMetadata()
                .withNewStatus().withPhase("Running").withInitContainerStatuses(List.of())
                .addNewContainerStatus().withName("bridge").withReady(true).endContainerStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build()).create();
    }

    @AfterAll
    static void stopTheApiServer() {
        KUBERNETES_CLIENT.keySet().forEach(System::clearProperty);
        client.close();
        API.destroy();
    }

    @Autowired
    CamelContext camel;

    @Test
    void withoutTheOpenShiftClientThePodTakesTheLeaseAndRunsTheLeaderOnlyRoute() throws Exception {
        assertThatThrownBy(() -> Class.forName("io.fabric8.openshift.client.OpenShiftClient"))
                .isInstanceOf(ClassNotFoundException.class);
        for (String component : new String[] {"openshift-builds", "openshift-build-configs", "openshift-deploymentconfigs"}) {
            assertThat(camel.getComponent(component)).as(component).isNotNull();
        }

        MockEndpoint leader = camel.getEndpoint("mock:leader", MockEndpoint.class);
        leader.expectedMinimumMessageCount(1);
        leader.setResultWaitTime(30_000);
        leader.assertIsSatisfied();

        await().untilAsserted(() -> assertThat(client.leases().inNamespace(NAMESPACE).list().getItems())
                .extracting(Lease::getSpec).extracting(s -> s.getHolderIdentity())
                .contains(POD));
    }
}
