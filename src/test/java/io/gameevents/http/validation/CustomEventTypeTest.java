package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.config.ConfigException;
import io.gameevents.config.ValidationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.recordTree;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A new event type is a schema file plus a config entry: no code change. */
class CustomEventTypeTest {

  private static final String COMMON_FIELDS = "\"event_id\": {\"$ref\": \"common.v1.json#/$defs/event_id\"},"
      + "\"event_type\": {\"const\": \"level_up\"},"
      + "\"schema_version\": {\"$ref\": \"common.v1.json#/$defs/schema_version\"},"
      + "\"occurred_at\": {\"$ref\": \"common.v1.json#/$defs/timestamp\"},"
      + "\"player_id\": {\"$ref\": \"common.v1.json#/$defs/player_id\"},"
      + "\"app_id\": {\"$ref\": \"common.v1.json#/$defs/app_id\"},"
      + "\"platform\": {\"$ref\": \"common.v1.json#/$defs/platform\"},"
      + "\"properties\": {\"$ref\": \"common.v1.json#/$defs/properties\"},";
  private static final String LEVEL_UP_V1 = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
      + "\"type\": \"object\","
      + "\"required\": [\"event_id\", \"event_type\", \"occurred_at\", \"player_id\", \"app_id\", \"platform\", \"level\"],"
      + "\"properties\": {" + COMMON_FIELDS + "\"level\": {\"type\": \"integer\", \"minimum\": 2}},"
      + "\"additionalProperties\": false}";
  private static final String LEVEL_UP_V2 = LEVEL_UP_V1
      .replace("\"level\"]", "\"level\", \"reward\"]")
      .replace("\"minimum\": 2}}", "\"minimum\": 2}, \"reward\": {\"type\": \"string\", \"maxLength\": 8}}");
  private static final String EVENT = "{\"event_id\":\"lv-7\",\"event_type\":\"level_up\","
      + "\"occurred_at\":\"2026-11-24T09:00:00Z\",\"player_id\":\"p-1\",\"app_id\":\"com.studio.game\","
      + "\"platform\":\"switch\",\"level\":7}";

  @TempDir
  Path schemaDirectory;

  private EventValidator withLevelUp() throws IOException {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1);
    return EventValidator.load(config(List.of("install", "purchase", "level_up"), schemaDirectory.toString()));
  }

  @Test
  void aSchemaFileInTheSchemaDirectoryAddsAnEventType() throws Exception {
    EventValidator validator = withLevelUp();

    assertThat(validator.eventTypes()).containsExactly("install", "purchase", "level_up");
    JsonNode record = recordTree(validate(validator, EVENT, null));
    assertThat(record.get("event_type").textValue()).isEqualTo("level_up");
    assertThat(record.get("platform").textValue()).isEqualTo("switch");
    assertThat(record.get("occurred_at").textValue()).isEqualTo("2026-11-24T09:00:00.000Z");
    assertThat(record.get("product_id").isNull()).isTrue();
    assertThat(record.get("quantity").isNull()).isTrue();
    assertThat(record.get("raw_payload").get("level").intValue()).isEqualTo(7);
  }

  @Test
  void aCustomTypeReferencingContextGetsItsColumnsAndTheIdRules() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1.replace("\"level\": {",
        "\"context\": {\"$ref\": \"common.v1.json#/$defs/context\"}, \"level\": {"));
    EventValidator validator = EventValidator.load(config(List.of("level_up"), schemaDirectory.toString()));
    String withContext = EVENT.replace("\"level\":7", "\"level\":7,\"context\":{\"os\":\"Switch\","
        + "\"session_id\":\"s-9\",\"ip\":\"192.0.2.1\"}");

    JsonNode record = recordTree(validate(validator, withContext, null));
    assertThat(record.get("os").textValue()).isEqualTo("Switch");
    assertThat(record.get("session_id").textValue()).isEqualTo("s-9");
    assertThat(record.get("raw_payload").get("context").has("ip")).isFalse();
    assertThat(invalid(validate(validator, withContext.replace("s-9", "s-9\\u0007"), null)).errors())
        .containsExactly(new FieldError("/context/session_id",
            "context.session_id has a control character (U+0007) at position 4: ids may hold printable text only"));
  }

  @Test
  void idRulesApplyWhateverTheCustomSchemaSaysAboutTheField() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1.replace(
        "\"player_id\": {\"$ref\": \"common.v1.json#/$defs/player_id\"}", "\"player_id\": {\"type\": \"string\"}"));
    EventValidator validator = EventValidator.load(config(List.of("level_up"), schemaDirectory.toString()));

    assertThat(invalid(validate(validator, EVENT.replace("\"p-1\"", "\"p-1\\t\""), null)).errors())
        .containsExactly(new FieldError("/player_id",
            "player_id has a control character (U+0009) at position 4: ids may hold printable text only"));
  }

  @Test
  void aCustomTypesDeclaredFieldsAreColumnsAfterTheRawPayload() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v2.json"), LEVEL_UP_V2);
    EventValidator validator = withLevelUp();
    String version2 = EVENT.replace("\"level\":7", "\"level\":7,\"schema_version\":2,\"reward\":\"sword\"");

    String v1 = ValidatorFixtures.record(validate(validator, EVENT, null));
    String v2 = ValidatorFixtures.record(validate(validator, version2, null));

    assertThat(v1).endsWith(",\"raw_payload\":" + EVENT + ",\"replayed_at\":null,\"level\":7}");
    assertThat(v2).endsWith(",\"raw_payload\":" + version2 + ",\"replayed_at\":null,\"level\":7,\"reward\":\"sword\"}");
    // the built-in columns keep their positions: the custom ones only follow them
    assertThat(fieldNames(recordTree(validate(validator, version2, null)))).containsExactly("event_id",
        "event_type", "schema_version", "occurred_at", "client_occurred_at", "received_at", "player_id", "app_id",
        "platform", "product_id", "quantity", "amount_micros", "currency", "app_version", "os", "os_version",
        "device_model", "device_id", "locale", "country", "session_id", "properties", "raw_payload", "replayed_at",
        "level", "reward");
  }

  @Test
  void anOptionalCustomFieldLeftOutIsNullAndNestedValuesAreKept() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1
        .replace("\"minimum\": 2}}", "\"minimum\": 2}, \"loot\": {\"type\": \"array\"}, \"boss\": {\"type\": \"string\"}}"));
    EventValidator validator = EventValidator.load(config(List.of("level_up"), schemaDirectory.toString()));

    JsonNode record = recordTree(validate(validator, EVENT.replace("\"level\":7", "\"level\":7,\"loot\":[{\"gem\":2}]"), null));

    assertThat(record.get("level").intValue()).isEqualTo(7);
    assertThat(record.get("loot").toString()).isEqualTo("[{\"gem\":2}]");
    assertThat(record.has("boss")).isTrue();
    assertThat(record.get("boss").isNull()).isTrue();
  }

  @Test
  void aBuiltInColumnNameWithAnotherTypeFailsStartUp() throws IOException {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1
        .replace("\"minimum\": 2}}", "\"minimum\": 2}, \"amount_micros\": {\"type\": \"string\"}}"));

    assertThatThrownBy(() -> EventValidator.load(config(List.of("level_up"), schemaDirectory.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("schema level_up.v1.json (validation.event_types) declares 'amount_micros' as string, but"
            + " amount_micros is a built-in column of type integer: use {\"$ref\": \"common.v1.json#/$defs/amount_micros\"}"
            + " or give the field another name");
  }

  @Test
  void aBuiltInColumnNameWithItsOwnTypeOrDefinitionIsTheBuiltInColumn() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1
        .replace("\"minimum\": 2}}", "\"minimum\": 2}, \"quantity\": {\"type\": \"integer\", \"minimum\": 1},"
            + " \"currency\": {\"$ref\": \"common.v1.json#/$defs/currency\"}}"));
    EventValidator validator = EventValidator.load(config(List.of("level_up"), schemaDirectory.toString()));

    JsonNode record = recordTree(validate(validator, EVENT.replace("\"level\":7", "\"level\":7,\"quantity\":3,\"currency\":\"EUR\""), null));

    assertThat(record.get("quantity").longValue()).isEqualTo(3);
    assertThat(record.get("currency").textValue()).isEqualTo("EUR");
    assertThat(fieldNames(record)).endsWith("raw_payload", "replayed_at", "level"); // not written twice
  }

  @Test
  void aFieldTakingAColumnTheServiceFillsFailsStartUp() throws IOException {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1
        .replace("\"minimum\": 2}}", "\"minimum\": 2}, \"received_at\": {\"type\": \"string\"}}"));

    assertThatThrownBy(() -> EventValidator.load(config(List.of("level_up"), schemaDirectory.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("schema level_up.v1.json (validation.event_types) declares 'received_at', a column the"
            + " service fills itself; rename the field");
  }

  @Test
  void aCustomColumnHasOneTypeAcrossVersionsAndTypes() throws IOException {
    Files.writeString(schemaDirectory.resolve("level_up.v2.json"), LEVEL_UP_V1
        .replace("\"level\": {\"type\": \"integer\", \"minimum\": 2}", "\"level\": {\"type\": \"string\"}"));

    assertThatThrownBy(this::withLevelUp)
        .isInstanceOf(ConfigException.class)
        .hasMessage("schema level_up.v2.json (validation.event_types) declares 'level' as string, but"
            + " level_up.v1.json declares it as integer; every event type writes the same record table, so a"
            + " column has one type: give one of the fields another name");
  }

  @Test
  void aCustomFieldNestedTooDeeplyIsNamed() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP_V1
        .replace("\"minimum\": 2}}", "\"minimum\": 2}, \"path\": {\"type\": \"array\"}}"));
    EventValidator validator = EventValidator.load(config(List.of("level_up"), schemaDirectory.toString()));
    com.fasterxml.jackson.databind.node.ObjectNode event =
        (com.fasterxml.jackson.databind.node.ObjectNode) ValidatorFixtures.MAPPER.readTree(EVENT);
    com.fasterxml.jackson.databind.node.ArrayNode level = event.putArray("path");
    for (int depth = 0; depth < 5000; depth++) {
      level = level.addArray();
    }

    Validation.Invalid invalid = invalid(validator.validate(event, EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        null, java.time.Instant.parse("2026-11-24T10:00:00Z")));

    assertThat(invalid.errors()).extracting(FieldError::pointer).containsExactly("/path");
  }

  private static List<String> fieldNames(JsonNode record) {
    List<String> names = new java.util.ArrayList<>();
    record.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void customSchemasGetCommonMessagesAndCleanGenericOnes() throws Exception {
    EventValidator validator = withLevelUp();
    String event = EVENT.replace("\"level\":7", "\"level\":1,\"mood\":\"happy\"").replace("\"p-1\"", "\"\"");

    Validation.Invalid invalid = invalid(validate(validator, event, null));

    assertThat(invalid.errors()).containsExactlyInAnyOrder(
        new FieldError("/player_id", "must be text of 1 to 128 characters"),
        new FieldError("/level", "must be at least 2"),
        new FieldError("/mood",
            "is not a known field of a level_up event; put game data into properties, or context for device data"));
  }

  @Test
  void schemaVersionSelectsTheSchemaFile() throws Exception {
    Files.writeString(schemaDirectory.resolve("level_up.v2.json"), LEVEL_UP_V2);
    EventValidator validator = withLevelUp();
    String version2 = EVENT.replace("\"level\":7", "\"level\":7,\"schema_version\":2");

    assertThat(invalid(validate(validator, version2, null)).errors())
        .containsExactly(new FieldError("/reward", "is required"));
    JsonNode record = recordTree(validate(validator, version2.replace("\"level\":7", "\"level\":7,\"reward\":\"sword\""), null));
    assertThat(record.get("schema_version").intValue()).isEqualTo(2);
    assertThat(recordTree(validate(validator, EVENT, null)).get("schema_version").intValue()).isEqualTo(1);
    Validation.Invalid unknownVersion = invalid(validate(validator, EVENT.replace("\"level\":7", "\"level\":7,\"schema_version\":3"), null));
    assertThat(unknownVersion.status()).isEqualTo(404);
    assertThat(unknownVersion.detail()).isEqualTo("Event type \"level_up\" has no schema version 3; known versions: 1, 2.");
  }

  @Test
  void theSchemaDirectoryCanAddAVersionOfABuiltInType() throws Exception {
    String installV1;
    try (var in = getClass().getClassLoader().getResourceAsStream("schemas/install.v1.json")) {
      installV1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Files.writeString(schemaDirectory.resolve("install.v2.json"), installV1
        .replace("install.v1.json", "install.v2.json").replace("\"platform\"]", "\"platform\", \"properties\"]"));
    EventValidator validator = EventValidator.load(config(List.of("install"), schemaDirectory.toString()));
    String install = "{\"event_id\":\"i-1\",\"event_type\":\"install\",\"schema_version\":2,"
        + "\"occurred_at\":\"2026-11-24T09:00:00Z\",\"player_id\":\"p-1\",\"app_id\":\"g\",\"platform\":\"web\"}";

    assertThat(invalid(validate(validator, install, "install")).errors())
        .containsExactly(new FieldError("/properties", "is required"));
    assertThat(recordTree(validate(validator, install.replace("\"schema_version\":2,", ""), "install"))
        .get("schema_version").intValue()).isEqualTo(1);
  }

  @Test
  void theWarehouseReadmesPurchaseVersionTwoAddsItsColumnsAfterTheRawPayload() throws Exception {
    Files.copy(Path.of("warehouse/examples/purchase.v2.json"), schemaDirectory.resolve("purchase.v2.json"));
    EventValidator validator = EventValidator.load(config(List.of("install", "purchase"), schemaDirectory.toString()));
    String v1 = ValidatorFixtures.PURCHASE;
    String v2 = v1.replace("\"quantity\":2", "\"quantity\":2,\"schema_version\":2,\"store\":\"steam\",\"tax_micros\":796723");

    assertThat(ValidatorFixtures.record(validate(validator, v1, "purchase"))).endsWith("\"raw_payload\":" + v1 + ",\"replayed_at\":null}");
    assertThat(ValidatorFixtures.record(validate(validator, v2, "purchase")))
        .contains("\"schema_version\":2,").endsWith("\"raw_payload\":" + v2 + ",\"replayed_at\":null,\"store\":\"steam\",\"tax_micros\":796723}");
    assertThat(invalid(validate(validator, v2.replace(",\"store\":\"steam\"", ""), "purchase")).errors())
        .containsExactly(new FieldError("/store", "is required"));
  }

  @Test
  void aTypeWithoutSchemaFailsStartUpNamingTheKeyAndFile() {
    assertThatThrownBy(() -> EventValidator.load(config(List.of("install", "level_up"), schemaDirectory.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("validation.event_types")
        .hasMessageContaining("level_up.v1.json");
    assertThatThrownBy(() -> EventValidator.load(config(List.of("level_up"), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'validation.event_types' names 'level_up' but no schema file level_up.v1.json"
            + " was found on the classpath under schemas/");
  }

  @Test
  void aBrokenReferenceFailsStartUpNotARequest() throws IOException {
    Files.writeString(schemaDirectory.resolve("level_up.v1.json"),
        LEVEL_UP_V1.replace("common.v1.json#/$defs/player_id", "players.v1.json#/$defs/player_id"));

    assertThatThrownBy(() -> EventValidator.load(config(List.of("level_up"), schemaDirectory.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("level_up.v1.json");
  }

  @Test
  void aMissingSchemaDirectoryFailsStartUp() {
    assertThatThrownBy(() -> EventValidator.load(config(List.of("install"), schemaDirectory.resolve("nope").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("validation.schema_directory");
  }

  private static ValidationConfig config(List<String> types, String directory) {
    return new ValidationConfig(types, directory, 86400, 30L * 86400, 16 * 1024);
  }
}
