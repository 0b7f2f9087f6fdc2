package be.absencebridge.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.keyword.TypeValidator;
import com.networknt.schema.path.NodePath;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every file of {@code routes/} is valid against Camel's own YAML DSL schema ({@code schema/camelYamlDsl.json} of the
 * camel-yaml-dsl jar on the classpath, JSON Schema draft-04), checked with networknt's json-schema-validator.
 * <p>
 * One thing the schema cannot say is accepted: a property placeholder ({@code {{...}}} or {@code ${...}}, the whole
 * value) in a field the schema types as number, integer or boolean, resolved by Camel when the route starts. That is
 * accepted only where the instance is a string that is such a placeholder and the schema's {@code type} names no
 * string (the {@code type} keyword of the draft-04 dialect is replaced by one that knows this); everything else, a
 * quoted literal in a number or boolean field included, is an error reported with its file and path.
 */
class RoutesSchemaTest {

    /** A property placeholder as the whole value: Camel's {@code {{key}}} / {@code {{key:default}}}, or {@code ${key}}. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^{}]+}}|\\$\\{[^{}]+}");
    private static final Set<String> NON_STRING = Set.of("number", "integer", "boolean");

    @Test
    void everyRouteFileIsValidAgainstCamelsYamlDslSchema() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).as("routes/*.camel.yaml").isNotEmpty();

        Set<String> accepted = new LinkedHashSet<>();
        Schema schema = camelYamlDslSchema(accepted);
        YAMLMapper yaml = new YAMLMapper();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            JsonNode routes = yaml.readTree(file.toFile());
            accepted.clear();
            for (Error e : schema.validate(routes)) {
                errors.add(file + " " + e.getInstanceLocation() + ": " + e.getMessage()
                        + " [" + e.getKeyword() + " at " + e.getSchemaLocation().getFragment() + "]");
            }
            accepted.forEach(a -> System.out.println(file + " " + a));
        }
        if (!errors.isEmpty()) {
            fail(errors.size() + " errors against Camel's YAML DSL schema (a placeholder in a number or boolean field is "
                    + "accepted, nothing else; a oneOf's failure comes with each alternative's):" + System.lineSeparator()
                    + String.join(System.lineSeparator(), errors));
        }
    }

    /**
     * The tolerance is that much and no more: a whole placeholder passes in a number or boolean field (and in a string
     * field, as any string); a quoted literal there, a placeholder with more around it, or a number where the schema
     * wants a string are errors.
     */
    @Test
    void aPlaceholderPassesOnlyWhereTheSchemaWantsANumberOrBoolean() throws Exception {
        Schema schema = camelYamlDslSchema(new LinkedHashSet<>());
        YAMLMapper yaml = new YAMLMapper();
        String route = """
                - route:
                    id: r
                    from:
                      uri: "timer:t"
                      parameters: {}
                      steps:
                        - setHeader:
                            name: h
                            constant: %s
                - routeConfiguration:
                    onException:
                      - onException:
                          exception: [java.lang.Exception]
                          redeliveryPolicy:
                            backOffMultiplier: %s
                            logExhausted: %s
                            redeliveryDelay: %s
                """;
        assertThat(schema.validate(yaml.readTree(route.formatted("\"x\"", "\"{{a}}\"", "\"${b}\"", "\"{{c}}\"")))).isEmpty();
        assertThat(schema.validate(yaml.readTree(route.formatted("\"x\"", "2", "false", "\"1000\"")))).isEmpty();
        // a quoted literal, a placeholder with more around it, a number where a string is wanted: errors
        assertThat(schema.validate(yaml.readTree(route.formatted("\"x\"", "\"2\"", "false", "\"1000\"")))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree(route.formatted("\"x\"", "2", "\"false\"", "\"1000\"")))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree(route.formatted("\"x\"", "\"{{a}}0\"", "false", "\"1000\"")))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree(route.formatted("202", "2", "false", "\"1000\"")))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree(route.formatted("\"x\"", "2", "false", "1000")))).isNotEmpty();
    }

    /** Camel's schema, its draft-04 type keyword replaced by the placeholder-aware one. */
    static Schema camelYamlDslSchema(Set<String> accepted) throws Exception {
        Dialect dialect = Dialect.builder(Dialects.getDraft4()).keyword(new PlaceholderAwareType(accepted)).build();
        try (InputStream in = RoutesSchemaTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json on the test classpath (camel-yaml-dsl)").isNotNull();
            Schema schema = SchemaRegistry.withDialect(dialect).getSchema(in);
            schema.initializeValidators();
            return schema;
        }
    }

    /**
     * The {@code type} keyword, except that a string that is a property placeholder passes where the schema's type is
     * number, integer or boolean (or a list of those, without string).
     */
    static final class PlaceholderAwareType implements Keyword {
        private final Set<String> accepted;

        PlaceholderAwareType(Set<String> accepted) {
            this.accepted = accepted;
        }

        @Override
        public String getValue() {
            return "type";
        }

        @Override
        public KeywordValidator newValidator(SchemaLocation schemaLocation, JsonNode schemaNode, Schema parentSchema,
                                             SchemaContext schemaContext) {
            Set<String> types = new LinkedHashSet<>();
            if (schemaNode.isTextual()) {
                types.add(schemaNode.textValue());
            } else {
                schemaNode.forEach(t -> types.add(t.asText()));
            }
            boolean typedNonString = !types.isEmpty() && NON_STRING.containsAll(types);
            return new TypeValidator(schemaLocation, schemaNode, parentSchema, schemaContext) {
                @Override
                public void validate(ExecutionContext executionContext, JsonNode node, JsonNode rootNode, NodePath instanceLocation) {
                    if (typedNonString && node.isTextual() && PLACEHOLDER.matcher(node.textValue()).matches()) {
                        accepted.add(instanceLocation + " = " + node.textValue() + " (a placeholder where the schema wants "
                                + String.join(" or ", types) + ")");
                        return;
                    }
                    super.validate(executionContext, node, rootNode, instanceLocation);
                }
            };
        }
    }
}
