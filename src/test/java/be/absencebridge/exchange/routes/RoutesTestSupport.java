package be.absencebridge.exchange.routes;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.exchange.audit.BridgeMetrics;
import be.absencebridge.exchange.decide.Decisions;
import be.absencebridge.exchange.deliver.Outbox;
import be.absencebridge.exchange.gate.Directories;
import be.absencebridge.exchange.gate.Gate;
import be.absencebridge.exchange.gate.LinkSettings;
import be.absencebridge.exchange.receive.InboundEvents;
import be.absencebridge.exchange.receive.Inbox;
import be.absencebridge.exchange.receive.InformatPoller;
import be.absencebridge.exchange.receive.ProblemResponse;
import be.absencebridge.exchange.receive.SmartschoolPoller;
import be.absencebridge.exchange.translate.Translator;
import be.absencebridge.retention.Retention;
import be.absencebridge.retention.Storage;
import be.absencebridge.vendor.informat.InformatWriter;
import be.absencebridge.vendor.smartschool.Platforms;
import be.absencebridge.vendor.smartschool.SmartschoolRoutes;
import be.absencebridge.vendor.smartschool.SmartschoolWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The routes layer: the real {@code routes/*.camel.yaml} in a plain Camel context (no Spring, no simulators, no
 * database), with the product's beans the routes call replaced by Mockito mocks (what they do is tested elsewhere;
 * here what the routes decide: where an exchange goes, what is retried, what a failure comes to). The placeholders
 * come from {@code src/test/resources/routes-layer.properties}.
 *
 * <p>What a unit test cannot start is replaced at the edges: the schedules and the database's consumers (quartz:,
 * timer:, sql:) become {@code direct:<route id>}, so that a test runs them once when it wants; every {@code http}
 * endpoint is mocked and skipped ({@code mock:http:...}, a test makes it answer or fail); what is put on a queue is
 * also seen by {@code mock:seda:<queue>}, on its way to the queue's route. The webhooks keep their
 * {@code servlet:} consumers, which {@link WebhookRoutesTest} calls through Camel's servlet. The Smartschool platforms'
 * lanes are made from the templates by the product's own {@link SmartschoolRoutes}, for two platforms,
 * {@code school1} and {@code school2}.
 *
 * <p>Every route file is loaded but the integration team's example, which is shipped off.
 */
abstract class RoutesTestSupport extends CamelTestSupport {

    static final List<String> ROUTE_FILES = List.of("error-handling", "exchange", "delivery", "pollers", "webhooks", "retention", "jobs");

    /** Routes whose consumer needs a scheduler or the database: their {@code from} becomes {@code direct:<id>}. */
    static final List<String> SCHEDULED = List.of("inbox-recovery", "outbox-poller", "directories", "link-settings",
            "informat-poller", "smartschool-poller-school1", "smartschool-poller-school2",
            "retention-resume", "retention-nightly", "storage-report", "backfill-resume", "backfill-delivered",
            "reconciliation-resume", "reconciliation-delivered", "reconciliation-nightly");

    /** Where the informat-call route's requests go in this layer (bridge.informat.student-api-url, mocked). */
    static final String INFORMAT_API = "mock:http:informat.test/api/v1";

    private static final java.util.concurrent.atomic.AtomicInteger CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The name of the Camel servlet this context's webhooks wait for: its own, since servlets and their consumers meet in
     * a registry of the JVM, where the product's context of the other tests (CamelServlet) may be running beside it.
     */
    protected final String servletName = "routes-layer-" + CONTEXTS.incrementAndGet();

    protected final Inbox inbox = mock(Inbox.class);
    protected final Gate gate = mock(Gate.class);
    protected final Translator translator = mock(Translator.class);
    protected final Decisions decisions = mock(Decisions.class);
    protected final Outbox outbox = mock(Outbox.class);
    protected final SmartschoolWriter smartschoolWriter = mock(SmartschoolWriter.class);
    protected final InformatWriter informatWriter = mock(InformatWriter.class);
    protected final BridgeMetrics bridgeMetrics = mock(BridgeMetrics.class);
    protected final InformatPoller informatPoller = mock(InformatPoller.class);
    protected final SmartschoolPoller smartschoolPoller = mock(SmartschoolPoller.class);
    protected final InboundEvents inboundEvents = mock(InboundEvents.class);
    protected final Directories directories = mock(Directories.class);
    protected final LinkSettings linkSettings = mock(LinkSettings.class);
    protected final Retention retention = mock(Retention.class);
    protected final Storage storage = mock(Storage.class);
    protected final Platforms platforms = mock(Platforms.class);
    protected final be.absencebridge.backfill.BackfillJob backfillJob = mock(be.absencebridge.backfill.BackfillJob.class);
    protected final be.absencebridge.backfill.Backfills backfills = mock(be.absencebridge.backfill.Backfills.class);
    protected final be.absencebridge.reconcile.ReconciliationJob reconciliationJob = mock(be.absencebridge.reconcile.ReconciliationJob.class);
    protected final be.absencebridge.reconcile.Reconciliations reconciliations = mock(be.absencebridge.reconcile.Reconciliations.class);

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        // the platforms' routes and the replaced consumers are added before the start (startRoutes)
        test.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        // every vendor call answered by a mock (mock:http:<host>/<path>), and every hand-off through a queue seen on its
        // way (mock:seda:<queue>, the queue's own route still takes it)
        context.withMockEndpointsAndSkip("http*");
        context.withMockEndpoints("seda:*");
        // a record left alone in a decision batch (completeAllOnStop, batches complete by size here) holds the stop up
        // until this; a test sends records that reach the decision in pairs
        context.withShutdownTimeout(2);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        camel.getPropertiesComponent().setLocation("classpath:routes-layer.properties");
        // an idle seda consumer looks this often whether it is to stop (1 s by default: a second per lane at each stop)
        camel.getComponent("seda", org.apache.camel.component.seda.SedaComponent.class).setDefaultPollTimeout(20);
        camel.getComponent("servlet", org.apache.camel.component.servlet.ServletComponent.class).setServletName(servletName);
        // the thread pool profiles the routes name (camel.threadpool.config in application.yaml)
        for (String profile : List.of("decisionBatches", "smartschoolBatches", "informatBatches", "informatCalls")) {
            camel.getExecutorServiceManager().registerThreadPoolProfile(
                    new ThreadPoolProfileBuilder(profile).poolSize(2).maxPoolSize(2).maxQueueSize(-1).build());
        }
        return camel;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("inbox", inbox);
        registry.bind("gate", gate);
        registry.bind("translator", translator);
        registry.bind("decisions", decisions);
        registry.bind("outbox", outbox);
        registry.bind("smartschoolWriter", smartschoolWriter);
        registry.bind("informatWriter", informatWriter);
        registry.bind("bridgeMetrics", bridgeMetrics);
        registry.bind("informatPoller", informatPoller);
        registry.bind("smartschoolPoller", smartschoolPoller);
        registry.bind("inboundEvents", inboundEvents);
        registry.bind("directories", directories);
        registry.bind("linkSettings", linkSettings);
        registry.bind("retention", retention);
        registry.bind("storage", storage);
        registry.bind("backfillJob", backfillJob);
        registry.bind("backfills", backfills);
        registry.bind("reconciliationJob", reconciliationJob);
        registry.bind("reconciliations", reconciliations);
        registry.bind("smartschoolPlatforms", platforms);
        // the product's own: it only writes the problem body the routes' error handlers ask for
        registry.bind("problemResponse", new ProblemResponse(new ObjectMapper()));
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<Resource> files = new ArrayList<>();
        for (String name : ROUTE_FILES) {
            files.add(PluginHelper.getResourceLoader(context).resolveResource("classpath:routes/" + name + ".camel.yaml"));
        }
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(files).toArray(RoutesBuilder[]::new);
    }

    @BeforeEach
    void startRoutes() throws Exception {
        List<BridgeProperties.Platform> configured = List.of(platform("school1"), platform("school2"));
        when(platforms.all()).thenReturn(configured);
        when(platforms.names()).thenReturn(List.of("school1", "school2"));
        BridgeProperties props = mock(BridgeProperties.class);
        when(props.pollers()).thenReturn(new BridgeProperties.Pollers("", "0+0+0+1+1+?+2099", "0+0+0+1+1+?+2099", 3, 500, 40));
        new SmartschoolRoutes(platforms, props).beforeApplicationStart(context);
        for (String id : SCHEDULED) {
            AdviceWith.adviceWith(context, id, false, route -> route.replaceFromWith("direct:" + id));
        }
        context.start();
    }

    private static BridgeProperties.Platform platform(String name) {
        return new BridgeProperties.Platform(name, "https://" + name + ".smartschool.test", "code-" + name, "secret-" + name,
                List.of(), true, List.of(), null);
    }

    /** An outbox row as the decision and the outbox poller hand it to deliver-handoff. */
    static Map<String, Object> row(long id, String target) {
        return Map.of("id", id, "target", target);
    }
}
