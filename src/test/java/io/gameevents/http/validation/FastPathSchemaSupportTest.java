package io.gameevents.http.validation;

import io.gameevents.config.ValidationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.record;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which schemas get a fast path: the built-in ones and custom ones within the supported keywords do; a schema
 * reaching any other keyword (also through an operator's override of common.v1.json) does not, and is then
 * validated by networknt alone, with the same results.
 */
class FastPathSchemaSupportTest {

  private static final String LEVEL_UP = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
      + "\"$id\": \"https://gameevents.io/schemas/level_up.v1.json\", \"type\": \"object\","
      + "\"required\": [\"event_id\", \"event_type\", \"occurred_at\", \"player_id\", \"app_id\", \"platform\"],"
      + "\"properties\": {\"event_id\": {\"$ref\": \"common.v1.json#/$defs/event_id\"},"
      + "\"event_type\": {\"const\": \"level_up\"}, \"occurred_at\": {\"$ref\": \"common.v1.json#/$defs/timestamp\"},"
      + "\"player_id\": {\"$ref\": \"common.v1.json#/$defs/player_id\"},"
      + "\"app_id\": {\"$ref\": \"common.v1.json#/$defs/app_id\"},"
      + "\"platform\": {\"$ref\": \"common.v1.json#/$defs/platform\"},"
      + "\"level\": {\"type\": [\"integer\", \"null\"], \"exclusiveMinimum\": 1.5, \"maximum\": 99},"
      + "\"price\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 9.99},"
      + "\"tags\": {\"type\": \"object\", \"maxProperties\": 2, \"additionalProperties\": {\"type\": \"string\"}}},"
      + "\"additionalProperties\": false}";
  private static final String EVENT = "{\"event_id\":\"lv-7\",\"event_type\":\"level_up\","
      + "\"occurred_at\":\"2026-11-24T09:00:00Z\",\"player_id\":\"p-1\",\"app_id\":\"com.studio.game\","
      + "\"platform\":\"switch\",\"level\":7}";

  @TempDir
  Path schemaDirectory;

  @Test
  void theBuiltInSchemasHaveAFastPath() {
    assertThat(ValidatorFixtures.VALIDATOR.schema("install", 1).fastPath()).isNotNull();
    assertThat(ValidatorFixtures.VALIDATOR.schema("purchase", 1).fastPath()).isNotNull();
  }

  @Test
  void aCustomSchemaWithinTheSupportedKeywordsHasOne() throws IOException {
    EventValidator validator = withLevelUp(LEVEL_UP);
    EventSchema schema = validator.schema("level_up", 1);

    assertThat(schema.fastPath()).isNotNull();
    for (String level : List.of("2", "2.0", "99", "null")) {
      assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(EVENT.replace("7}", level + "}"))))
          .as(level).isTrue();
    }
    for (String level : List.of("1", "100", "7.5", "\"7\"")) {
      assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(EVENT.replace("7}", level + "}"))))
          .as(level).isFalse();
    }
    for (String price : List.of("4.99", "9.99", "9.990", "0.0001", "1", "9")) {
      assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(EVENT.replace("7}", "7,\"price\":" + price
          + "}")))).as(price).isTrue();
    }
    for (String price : List.of("9.991", "0", "-0.0", "1e-400", "1e2", "1e309", "\"1\"")) {
      assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(EVENT.replace("7}", "7,\"price\":" + price
          + "}")))).as(price).isFalse();
    }
    String tagged = EVENT.replace("7}", "7,\"tags\":{\"a\":\"x\",\"b\":\"y\"}}");
    assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(tagged))).isTrue();
    assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(tagged.replace("\"y\"", "2")))).isFalse();
    assertThat(schema.certainlyValid(ValidatorFixtures.MAPPER.readTree(tagged.replace("}}", ",\"c\":\"z\"}}"))))
        .isFalse();
    assertThat(invalid(validate(validator, EVENT.replace("7}", "1}"), null)).errors())
        .extracting(FieldError::pointer).containsExactly("/level");
  }

  /** Each of these is outside the subset; the event still validates, by networknt, with its usual errors. */
  @ParameterizedTest
  @ValueSource(strings = {
      "\"level\": {\"oneOf\": [{\"type\": \"integer\"}, {\"type\": \"null\"}]}",
      "\"level\": {\"type\": \"integer\", \"multipleOf\": 1}",
      "\"level\": {\"type\": \"integer\"}, \"note\": {\"type\": \"string\", \"format\": \"email\"}",
      "\"level\": {\"type\": \"integer\"}, \"tree\": {\"properties\": {\"up\": {\"$ref\": \"#/properties/tree\"}}}",
      "\"level\": {\"type\": \"integer\", \"$id\": \"https://example.com/level\"}",
      "\"level\": {\"type\": \"integer\", \"x-unit\": \"levels\"}"})
  void aSchemaWithAnUnsupportedKeywordHasNone(String level) throws IOException {
    String schemaText = LEVEL_UP.replace(LEVEL_UP.substring(LEVEL_UP.indexOf("\"level\": {"),
        LEVEL_UP.indexOf(",\"tags\"")), level);
    EventValidator validator = withLevelUp(schemaText);

    assertThat(validator.schema("level_up", 1).fastPath()).isNull();
    assertThat(validator.schema("purchase", 1).fastPath()).isNotNull(); // other types keep theirs
    assertThat(record(validate(validator, EVENT, null))).contains("\"event_id\":\"lv-7\"");
    Validation.Invalid refused = invalid(validate(validator, EVENT.replace("\"p-1\"", "\"\""), null));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errors()).extracting(FieldError::pointer).containsExactly("/player_id");
  }

  @Test
  void anOlderDraftHasNone() throws IOException {
    EventValidator validator = withLevelUp(LEVEL_UP.replace("https://json-schema.org/draft/2020-12/schema",
        "http://json-schema.org/draft-07/schema#").replace("\"exclusiveMinimum\": 1.5", "\"minimum\": 2"));
    assertThat(validator.schema("level_up", 1).fastPath()).isNull();
    assertThat(record(validate(validator, EVENT, null))).contains("\"level\":7");
  }

  /** An operator's common.v1.json with a keyword outside the subset turns the built-in types' fast path off. */
  @Test
  void anOverriddenCommonSchemaWithAnUnsupportedKeywordDisablesTheFastPath() throws IOException {
    String common;
    try (InputStream in = getClass().getResourceAsStream("/schemas/common.v1.json")) {
      common = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(schemaDirectory.resolve("common.v1.json"), common.replace("\"maxLength\": 128\n    },\n"
        + "    \"app_id\"", "\"maxLength\": 128, \"not\": {\"const\": \"root\"}\n    },\n    \"app_id\""));
    EventValidator validator = EventValidator.load(config(List.of("install", "purchase")));

    assertThat(validator.schema("install", 1).fastPath()).isNull();
    assertThat(validator.schema("purchase", 1).fastPath()).isNull();
    assertThat(record(validate(validator, PURCHASE, null))).contains("\"player_id\":\"p-42\"");
    Validation.Invalid refused = invalid(validate(validator, PURCHASE.replace("\"p-42\"", "\"root\""), null));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errors()).extracting(FieldError::pointer).containsExactly("/player_id");
  }

  /** networknt reads a $defs entry of common.v1.json in that file's dialect: an older one there counts too. */
  @Test
  void anOlderDraftInAReferencedFileHasNone() throws IOException {
    Files.writeString(schemaDirectory.resolve("common.v1.json"), "{\"$schema\": "
        + "\"http://json-schema.org/draft-07/schema#\", \"$defs\": {\"id\": {\"type\": \"string\"}}}");
    EventValidator validator = withLevelUp("{\"type\": \"object\", \"properties\": {\"event_id\": "
        + "{\"$ref\": \"common.v1.json#/$defs/id\"}}}", List.of("level_up"));
    assertThat(validator.schema("level_up", 1).fastPath()).isNull();
    assertThat(record(validate(validator, EVENT, null))).contains("\"level\":7");
  }

  private EventValidator withLevelUp(String schema) throws IOException {
    return withLevelUp(schema, List.of("install", "purchase", "level_up"));
  }

  private EventValidator withLevelUp(String schema, List<String> types) throws IOException {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), schema);
    return EventValidator.load(config(types));
  }

  private ValidationConfig config(List<String> types) {
    return new ValidationConfig(types, schemaDirectory.toString(), 86400, 30L * 86400, 16 * 1024);
  }
}
