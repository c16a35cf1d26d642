package io.gameevents.http;

import io.gameevents.support.Jwts;
import io.gameevents.support.RawHttp;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;

/**
 * Malformed and hostile requests, as raw bytes: broken JSON, wrong types, huge numbers, deep
 * nesting, invalid UTF-8, control characters and lone surrogates, duplicate keys, doubled headers,
 * wrong methods, oversized bodies and gzip bombs, slow bodies, broken HTTP and JWT attacks.
 * Each case says what may come back: refused (a 4xx), or either refused or stored as sent.
 */
final class HostileCorpus {

  /** What a case may get. */
  enum Expect {
    /** A 4xx problem: the request is invalid. */
    REFUSED,
    /**
     * A 4xx, or a 200 with the event stored exactly as sent. For odd but valid content: control
     * characters in properties (any Unicode text but a lone surrogate), zero-width characters inside ids.
     */
    REFUSED_OR_STORED_FAITHFULLY,
    /** A 200: a control case that must work (a valid JWT). */
    STORED,
    /**
     * A chunk whose size is not hex: Vert.x closes the connection before any handler of ours is
     * told (the request's exception handler is not called), so there is no answer, only the end
     * of the connection: closed, not stuck. A gap to close with a Vert.x change.
     */
    CLOSED_BY_VERTX
  }

  /**
   * @param eventId the event's id if the body holds one event that may be stored, else null
   * @param event the event as sent, for the faithfulness check; null if none may be stored
   * @param head true for HEAD: the answer has no body to read
   * @param stallAfterWrite the client stops writing mid-body: only http.body_timeout_ms answers it
   */
  record Case(String name, byte[] request, Expect expect, String eventId, JsonObject event, boolean head,
              boolean stallAfterWrite) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String INSTALL = "/v1/events/install";
  private static final String[] JSON = {"Content-Type: application/json"};

  private final KeyPair jwtKey;
  private final KeyPair otherKey = Jwts.rsaKeyPair();
  private final String jwtPem;
  private final List<Case> cases = new ArrayList<>();

  private HostileCorpus(KeyPair jwtKey) {
    this.jwtKey = jwtKey;
    this.jwtPem = Jwts.pem(jwtKey.getPublic());
  }

  /** Every case; {@code jwtKey} is the key pair whose public half the service verifies RS256 tokens with. */
  static List<Case> all(KeyPair jwtKey) {
    HostileCorpus corpus = new HostileCorpus(jwtKey);
    corpus.brokenJson();
    corpus.wrongTypes();
    corpus.hugeNumbers();
    corpus.deepNesting();
    corpus.invalidUtf8();
    corpus.controlCharactersAndSurrogates();
    corpus.duplicateKeys();
    corpus.doubledHeaders();
    corpus.wrongMethodsAndPaths();
    corpus.oversized();
    corpus.slowBodies();
    corpus.brokenHttp();
    corpus.jwtAttacks();
    corpus.semanticallyInvalid();
    return corpus.cases;
  }

  private void brokenJson() {
    byte[] valid = install(newId()).toBuffer().getBytes();
    for (int length = 0; length < valid.length; length += Math.max(1, valid.length / 40)) {
      refused("truncated at " + length, INSTALL, slice(valid, length));
    }
    for (String body : List.of("{", "}", "[", "]", "null", "true", "1", "\"install\"", "{]", "{\"event_id\":}",
        ",", "{'event_id':'x'}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1,}", "/* c */ {}", "{} {}", "{}x",
        "\uFEFF{}", "[{}]", "{\"event_id\" \"x\"}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":\"\\x41\"}",
        "{\"a\":\"unterminated}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "", " ", "\u0000")) {
      refused("not JSON: " + printable(body), INSTALL, bytes(body));
    }
    for (String body : List.of("{}", "[]", "{\"events\":null}", "{\"events\":{}}", "{\"events\":\"x\"}",
        "{\"events\":[1,2]}", "{\"events\":[null]}", "{\"events\":[[]]}", "{\"events\":[],\"x\":1}",
        "{\"events\":[{]}", "{\"events\":[{}]}", "{\"events\":[]}", "{\"evnts\":[]}", "[{\"events\":[]}]")) {
      refused("batch: " + body, "/v1/batch", bytes(body));
    }
  }

  private void wrongTypes() {
    Object[] values = {1, 1.5, true, null, new JsonArray(), new JsonObject(), "", -1};
    for (String field : List.of("event_id", "event_type", "occurred_at", "player_id", "app_id", "platform",
        "schema_version", "sent_at", "properties")) {
      for (Object value : values) {
        if (field.equals("schema_version") && Integer.valueOf(1).equals(value)) {
          continue; // schema_version 1 is valid
        }
        if (field.equals("properties") && value instanceof JsonObject) {
          continue; // an empty properties object is valid
        }
        refused("install " + field + "=" + value, INSTALL, install(newId()).put(field, value));
      }
    }
    Object[] purchaseValues = {"1", -1, 1.5, "x", null, new JsonObject(), true, new JsonArray()};
    for (String field : List.of("quantity", "amount_micros", "currency", "product_id")) {
      for (Object value : purchaseValues) {
        if (field.equals("product_id") && value instanceof String) {
          continue;
        }
        refused("purchase " + field + "=" + value, "/v1/events/purchase", purchase(newId()).put(field, value));
      }
    }
  }

  private void hugeNumbers() {
    for (String number : List.of("1e999", "-1e999", "123456789012345678901234567890", "9223372036854775808",
        "1" + "0".repeat(99), "1" + "0".repeat(200), "4990000.5", "1e19")) {
      String body = purchase(newId()).encode().replace("\"amount_micros\":4990000", "\"amount_micros\":" + number);
      refused("amount_micros " + number, "/v1/events/purchase", bytes(body));
      String quantity = purchase(newId()).encode().replace("\"quantity\":1", "\"quantity\":" + number);
      refused("quantity " + number, "/v1/events/purchase", bytes(quantity));
    }
    // whole numbers written oddly: valid JSON Schema integers, so either refused or stored as they read
    // (-1e-400 reads as -0.0: JSON Schema libraries compare numbers as doubles)
    for (String number : List.of("1e2", "-0", "1.0e-400", "-1e-400", "4990000.0", "4.99e6")) {
      JsonObject event = purchase(newId());
      byte[] body = bytes(event.encode().replace("\"amount_micros\":4990000", "\"amount_micros\":" + number));
      add(new Case("amount_micros " + number, RawHttp.post("/v1/events/purchase", body, authorized()),
          Expect.REFUSED_OR_STORED_FAITHFULLY, event.getString("event_id"),
          new JsonObject(new String(body, StandardCharsets.UTF_8)), false, false));
    }
  }

  private void deepNesting() {
    for (int depth : new int[] {33, 100, 1_000, 50_000}) {
      String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
      String arrays = "[".repeat(depth) + "]".repeat(depth);
      refused("properties nested " + depth + " objects deep", INSTALL,
          bytes(install(newId()).encode().replace("\"platform\"", "\"properties\":" + objects + ",\"platform\"")));
      refused("properties nested " + depth + " arrays deep", INSTALL,
          bytes(install(newId()).encode()
              .replace("\"platform\"", "\"properties\":{\"a\":" + arrays + "},\"platform\"")));
      refused("a batch nested " + depth + " deep", "/v1/batch", bytes("{\"events\":" + arrays + "}"));
    }
  }

  private void invalidUtf8() {
    byte[][] sequences = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80,
        (byte) 0x80, (byte) 0x80}};
    for (String field : List.of("event_id", "player_id", "platform")) {
      for (byte[] sequence : sequences) {
        String marker = "MARKER";
        byte[] body = bytes(install(newId()).put(field, "ab" + marker).encode());
        refused("invalid UTF-8 " + hex(sequence) + " in " + field, INSTALL, replace(body, bytes(marker), sequence));
      }
    }
    byte[] latin1 = install(newId()).put("player_id", "Jos\u00e9").encode().getBytes(StandardCharsets.ISO_8859_1);
    refused("ISO-8859-1 body", INSTALL, latin1);
    refused("UTF-16 body", INSTALL, install(newId()).encode().getBytes(StandardCharsets.UTF_16));
    refused("UTF-16LE body", INSTALL, install(newId()).encode().getBytes(StandardCharsets.UTF_16LE));
    refused("UTF-32 body", INSTALL, install(newId()).encode().getBytes(java.nio.charset.Charset.forName("UTF-32")));
  }

  /** Invisible but not control characters: the id rules allow them inside an id (not at its ends). */
  private static final List<String> PRINTABLE_INSIDE_AN_ID = List.of("\u200b", "\u2028", "\ufeff");

  private void controlCharactersAndSurrogates() {
    List<String> odd = List.of("\u0000", "\u0001", "\u001f", "\u007f", "\n", "\t", "\u202e", "\u200b", "\u2028",
        "\ufeff");
    for (String c : odd) {
      refused("event_id with U+" + code(c), INSTALL, install("id" + c + "x"));
      JsonObject withOddPlayerId = install(newId()).put("player_id", "player" + c + "1");
      if (!PRINTABLE_INSIDE_AN_ID.contains(c)) { // control and bidi-control characters
        refused("player_id with U+" + code(c), INSTALL, withOddPlayerId);
      } else {
        maybe("player_id with U+" + code(c), withOddPlayerId);
      }
      maybe("a property with U+" + code(c), install(newId()).put("properties", new JsonObject().put("k" + c, c)));
    }
    for (String escape : List.of("\\ud800", "\\udc00", "\\ud800x", "\\udbff\\udbff")) {
      String id = newId();
      refused("event_id with lone surrogate " + escape, INSTALL,
          bytes(install(id).encode().replace("\"" + id + "\"", "\"a" + escape + "b\"")));
      JsonObject event = install(newId()).put("player_id", "SURROGATE");
      byte[] raw = bytes(event.encode().replace("SURROGATE", "p" + escape));
      refused("player_id with lone surrogate " + escape, INSTALL, raw);
    }
  }

  private void duplicateKeys() {
    String id = newId();
    String event = install(id).encode();
    refused("event_id twice", INSTALL, bytes(event.replace("{", "{\"event_id\":\"" + newId() + "\",")));
    refused("app_id twice, another app first", INSTALL, bytes(event.replace("{", "{\"app_id\":\"com.other.game\",")));
    refused("platform twice", INSTALL, bytes(install(newId()).encode().replace("{", "{\"platform\":\"android\",")));
    refused("a property twice", INSTALL,
        bytes(install(newId()).encode().replace("\"platform\"", "\"properties\":{\"a\":1,\"a\":2},\"platform\"")));
    refused("events twice in a batch", "/v1/batch", bytes("{\"events\":[],\"events\":[" + install(newId()).encode()
        + "]}"));
  }

  private void doubledHeaders() {
    String key = "Authorization: Bearer " + TestService.KEY;
    String wrong = "Authorization: Bearer not-a-key";
    refused("two Authorization, valid first", raw(INSTALL, key, wrong, JSON[0]));
    refused("two Authorization, valid second", raw(INSTALL, wrong, key, JSON[0]));
    refused("two Authorization, both valid", raw(INSTALL, key, key, JSON[0]));
    refused("two Authorization, another app's second", raw(INSTALL, key,
        "Authorization: Bearer " + TestService.OTHER_APP_KEY, JSON[0]));
    refused("two Content-Type, JSON first", raw(INSTALL, key, JSON[0], "Content-Type: text/plain"));
    refused("two Content-Type, JSON second", raw(INSTALL, key, "Content-Type: text/plain", JSON[0]));
    refused("two Content-Type, both JSON", raw(INSTALL, key, JSON[0], JSON[0]));
    refused("two Content-Encoding", raw(INSTALL, key, JSON[0], "Content-Encoding: gzip", "Content-Encoding: identity"));
    byte[] body = install(newId()).toBuffer().getBytes();
    for (String lengths : List.of("%d|%d", "%d|0", "0|%d", "%d, %d|")) {
      String[] parts = lengths.split("\\|", -1);
      List<String> headers = new ArrayList<>(List.of("Host: x", key, JSON[0]));
      for (String part : parts) {
        if (!part.isEmpty()) {
          headers.add("Content-Length: " + part.replace("%d", Integer.toString(body.length)));
        }
      }
      refused("Content-Length " + lengths, RawHttp.concat(RawHttp.head("POST " + INSTALL + " HTTP/1.1",
          headers.toArray(String[]::new)), body));
    }
    refused("Content-Length and Transfer-Encoding (smuggling)", RawHttp.concat(RawHttp.head("POST " + INSTALL
        + " HTTP/1.1", "Host: x", key, JSON[0], "Content-Length: 4", "Transfer-Encoding: chunked"),
        bytes("0\r\n\r\nGET /ready HTTP/1.1\r\nHost: x\r\n\r\n")));
    refused("Transfer-Encoding twice", RawHttp.concat(RawHttp.head("POST " + INSTALL + " HTTP/1.1", "Host: x", key,
        JSON[0], "Transfer-Encoding: chunked", "Transfer-Encoding: identity"), bytes("5\r\n{\"a\":\r\n0\r\n\r\n")));
  }

  /** A request whose headers are given whole (no Content-Type or Authorization added). */
  private static byte[] raw(String path, String... headers) {
    return RawHttp.post(path, install(newId()).toBuffer().getBytes(), headers);
  }

  private void wrongMethodsAndPaths() {
    // OPTIONS is the CORS preflight (204), tested in CorsTest
    for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "FOO")) {
      for (String path : List.of(INSTALL, "/v1/batch", "/v1/events")) {
        refused(method + " " + path, withMethod(method, path));
      }
    }
    add(new Case("HEAD " + INSTALL, RawHttp.head("HEAD " + INSTALL + " HTTP/1.1", "Host: x"), Expect.REFUSED, null,
        null, true, false));
    for (String path : List.of("/v1/events/unknown_type", "/v1/events/../batch", "/v1/events/%00",
        "/v1/events/install?x=%zz", "/v1/events/" + "a".repeat(2_000), "/v1/events/install/extra", "/v2/events",
        "/v1/events/%2e%2e%2fbatch", "/v1/events/install%00")) {
      refused("POST " + printable(path), path, install(newId()));
    }
  }

  private static byte[] withMethod(String method, String path) {
    byte[] body = install(newId()).toBuffer().getBytes();
    return RawHttp.concat(RawHttp.head(method + " " + path + " HTTP/1.1", "Host: x", JSON[0],
        "Authorization: Bearer " + TestService.KEY, "Content-Length: " + body.length), body);
  }

  private void oversized() {
    refused("2 MiB body", "/v1/batch", new byte[2 * 1024 * 1024]);
    refused("an event over max_event_bytes", INSTALL,
        install(newId()).put("properties", new JsonObject().put("blob", "x".repeat(40_000))));
    JsonArray events = new JsonArray();
    for (int i = 0; i < 501; i++) {
      events.add(install(newId()));
    }
    refused("501 events", "/v1/batch", new JsonObject().put("events", events));
    refused("a declared 1 TB body", RawHttp.concat(RawHttp.head("POST /v1/batch HTTP/1.1", "Host: x", JSON[0],
        "Authorization: Bearer " + TestService.KEY, "Content-Length: 1000000000000"), new byte[100]));
    refused("a Content-Length of 20 digits", RawHttp.concat(RawHttp.head("POST /v1/batch HTTP/1.1", "Host: x",
        JSON[0], "Authorization: Bearer " + TestService.KEY, "Content-Length: 99999999999999999999"), new byte[10]));
    byte[] bomb = compress(new byte[64 * 1024 * 1024], true);
    refused("gzip bomb", "/v1/batch", bomb, "Content-Encoding: gzip");
    refused("deflate bomb", "/v1/batch", compress(new byte[64 * 1024 * 1024], false), "Content-Encoding: deflate");
    refused("gzip bomb of JSON", "/v1/batch", compress(("{\"events\":[" + (install(newId()).encode() + ",")
        .repeat(20_000) + "{}]}").getBytes(StandardCharsets.UTF_8), true), "Content-Encoding: gzip");
    refused("plain JSON labelled gzip", INSTALL, install(newId()).toBuffer().getBytes(), "Content-Encoding: gzip");
    refused("gzip cut short", INSTALL, slice(compress(install(newId()).toBuffer().getBytes(), true), 20),
        "Content-Encoding: gzip");
    refused("Content-Encoding br", INSTALL, install(newId()).toBuffer().getBytes(), "Content-Encoding: br");
    refused("Content-Encoding gzip, gzip", INSTALL, compress(compress(install(newId()).toBuffer().getBytes(), true),
        true), "Content-Encoding: gzip, gzip");
  }

  private void slowBodies() {
    for (int sent : new int[] {0, 10, 100}) {
      byte[] body = install(newId()).toBuffer().getBytes();
      add(new Case("a body that stops after " + sent + " bytes", RawHttp.concat(RawHttp.head("POST " + INSTALL
          + " HTTP/1.1", "Host: x", JSON[0], "Authorization: Bearer " + TestService.KEY, "Content-Length: "
          + body.length), slice(body, sent)), Expect.REFUSED, null, null, false, true));
    }
    add(new Case("chunked, stopping mid-chunk", RawHttp.concat(RawHttp.head("POST " + INSTALL + " HTTP/1.1",
        "Host: x", JSON[0], "Authorization: Bearer " + TestService.KEY, "Transfer-Encoding: chunked"),
        bytes("400\r\n{\"event_id\":")), Expect.REFUSED, null, null, false, true));
  }

  private void brokenHttp() {
    // refused by the service's decoder (see FramingDecoder) rather than with Vert.x's bare 501
    add(new Case("HTTP/9.9", RawHttp.head("POST " + INSTALL + " HTTP/9.9", "Host: x"), Expect.REFUSED,
        null, null, false, false));
    for (String head : List.of("GARBAGE\r\n\r\n", "POST " + INSTALL + " HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n",
        "POST /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\nBad\u0000Name: 1\r\n\r\n",
        "POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\n Folded: continuation\r\n\r\n",
        "POST  " + INSTALL + "  HTTP/1.1\r\nHost: x\r\n\r\n",
        "\r\n\r\nGARBAGE\r\n\r\n")) {
      String shown = head.startsWith("POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\n")
          ? head.substring(("POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\n").length()) : head;
      refused("broken HTTP: " + printable(shown), head.getBytes(StandardCharsets.ISO_8859_1));
    }
    add(new Case("a chunk size that is not hex", ("POST " + INSTALL + " HTTP/1.1\r\nHost: x\r\n"
        + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\nAuthorization: Bearer " + TestService.KEY
        + "\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), Expect.CLOSED_BY_VERTX, null, null, false, false));
    byte[] body = install(newId()).toBuffer().getBytes();
    refused("bare LF line ends, no Content-Type", RawHttp.concat(("POST " + INSTALL + " HTTP/1.1\nHost: x\n"
        + "Authorization: Bearer " + TestService.KEY + "\nContent-Length: " + body.length + "\n\n")
        .getBytes(StandardCharsets.ISO_8859_1), body));
  }

  private void jwtAttacks() {
    JsonObject claims = Jwts.claims(TestService.APP);
    long now = Instant.now().getEpochSecond();
    bearer("alg none", Jwts.unsigned(claims));
    bearer("alg None", base64(new JsonObject().put("alg", "None")) + "." + base64(claims) + ".");
    bearer("alg none with a signature", base64(new JsonObject().put("alg", "none")) + "." + base64(claims) + ".c2ln");
    bearer("HS256 signed with the RS256 public key", Jwts.sign(new JsonObject().put("alg", "HS256").put("typ", "JWT"),
        claims, Jwts.hmacKey(jwtPem)));
    bearer("HS256 signed with the public key's DER", Jwts.sign(new JsonObject().put("alg", "HS256"), claims,
        new javax.crypto.spec.SecretKeySpec(jwtKey.getPublic().getEncoded(), "HmacSHA256")));
    bearer("expired", Jwts.rs256(jwtKey.getPrivate(), claims.copy().put("iat", now - 7200).put("exp", now - 3600)));
    bearer("not yet valid", Jwts.rs256(jwtKey.getPrivate(), claims.copy().put("nbf", now + 3600)));
    bearer("signed by another key, wrong kid", Jwts.sign(new JsonObject().put("alg", "RS256").put("kid", "other"),
        claims, otherKey.getPrivate()));
    bearer("signed by another key", Jwts.rs256(otherKey.getPrivate(), claims));
    bearer("a valid signature over other claims", swapPayload(Jwts.rs256(jwtKey.getPrivate(), claims),
        Jwts.claims("com.other.game")));
    bearer("two segments", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0");
    bearer("four segments", Jwts.rs256(jwtKey.getPrivate(), claims) + ".x");
    bearer("base64 garbage", "!!!.@@@.###");
    bearer("a header that is not JSON", "bm90IGpzb24." + "e30." + "c2ln");
    bearer("a 6 KB token", Jwts.rs256(jwtKey.getPrivate(), claims.copy().put("pad", "p".repeat(6_000))));
    bearer("crit header", Jwts.sign(new JsonObject().put("alg", "RS256").put("crit", new JsonArray().add("exp")),
        claims, jwtKey.getPrivate()));
    bearer("exp as a string", Jwts.rs256(jwtKey.getPrivate(), claims.copy().put("exp", "tomorrow")));
    bearer("app_id an object", Jwts.rs256(jwtKey.getPrivate(), claims.copy().put("app_id", new JsonObject())));
    for (String header : List.of("", "Bearer", "Bearer ", "Basic ZGV2OmRldi1zZWNyZXQ=", "Bearer  " + TestService.KEY
        + " x", "Token " + TestService.KEY, TestService.KEY)) {
      refused("Authorization: " + printable(header), RawHttp.post(INSTALL, install(newId()).toBuffer().getBytes(),
          JSON[0], "Authorization: " + header));
    }
    JsonObject event = install(newId());
    add(new Case("a valid RS256 token (control)", RawHttp.post(INSTALL, event.toBuffer().getBytes(), JSON[0],
        "Authorization: Bearer " + Jwts.rs256(jwtKey.getPrivate(), claims)), Expect.STORED,
        event.getString("event_id"), event, false, false));
  }

  private void bearer(String name, String token) {
    refused("JWT: " + name, RawHttp.post(INSTALL, install(newId()).toBuffer().getBytes(), JSON[0],
        "Authorization: Bearer " + token));
  }

  private static String swapPayload(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + base64(claims) + "." + parts[2];
  }

  private static String base64(JsonObject json) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.toBuffer().getBytes());
  }

  private void semanticallyInvalid() {
    for (String at : List.of("2024-13-01T00:00:00Z", "yesterday", "2024-01-01", "2024-01-01T00:00:00",
        "9999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z",
        "2024-01-01T00:00:00+25:00", "")) {
      refused("occurred_at " + at, INSTALL, install(newId()).put("occurred_at", at));
    }
    refused("unknown platform", INSTALL, install(newId()).put("platform", "gameboy"));
    refused("another app's app_id", INSTALL, install(newId()).put("app_id", "com.other.game"));
    refused("currency XXX", "/v1/events/purchase", purchase(newId()).put("currency", "XXX"));
    refused("currency lower case", "/v1/events/purchase", purchase(newId()).put("currency", "eur"));
    refused("negative quantity", "/v1/events/purchase", purchase(newId()).put("quantity", -3));
    refused("purchase on the install endpoint", INSTALL, purchase(newId()));
    refused("an unknown field", INSTALL, install(newId()).put("cheat", true));
    refused("event_id of 65 characters", INSTALL, install("a".repeat(65)));
    refused("event_id empty", INSTALL, install(""));
    refused("schema_version 99", INSTALL, install(newId()).put("schema_version", 99));
    refused("missing event_id", INSTALL, without(install(newId()), "event_id"));
    refused("missing app_id", INSTALL, without(install(newId()), "app_id"));
    refused("properties over max_properties_bytes", INSTALL,
        install(newId()).put("properties", new JsonObject().put("k", "v".repeat(20_000))));
  }

  private static JsonObject without(JsonObject event, String field) {
    event.remove(field);
    return event;
  }

  private static String[] authorized() {
    return new String[] {JSON[0], "Authorization: Bearer " + TestService.KEY};
  }

  private void refused(String name, String path, JsonObject event) {
    refused(name, path, event.toBuffer().getBytes());
  }

  private void refused(String name, String path, byte[] body, String... extraHeaders) {
    List<String> headers = new ArrayList<>(List.of(authorized()));
    headers.addAll(List.of(extraHeaders));
    refused(name, RawHttp.post(path, body, headers.toArray(String[]::new)));
  }

  private void refused(String name, byte[] request) {
    add(new Case(name, request, Expect.REFUSED, null, null, false, false));
  }

  private void maybe(String name, JsonObject event) {
    maybe(name, event.toBuffer().getBytes(), event.getString("event_id"), event);
  }

  private void maybe(String name, byte[] body, String eventId, JsonObject event) {
    add(new Case(name, RawHttp.post(INSTALL, body, authorized()), Expect.REFUSED_OR_STORED_FAITHFULLY, eventId, event,
        false, false));
  }

  private void add(Case c) {
    cases.add(c);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] slice(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }

  private static byte[] replace(byte[] haystack, byte[] needle, byte[] with) {
    String h = new String(haystack, StandardCharsets.ISO_8859_1);
    int at = h.indexOf(new String(needle, StandardCharsets.ISO_8859_1));
    return RawHttp.concat(RawHttp.concat(slice(haystack, at), with),
        java.util.Arrays.copyOfRange(haystack, at + needle.length, haystack.length));
  }

  private static byte[] compress(byte[] data, boolean gzip) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var stream = gzip ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      stream.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    StringBuilder hex = new StringBuilder();
    for (byte b : bytes) {
      hex.append(String.format("%02X", b));
    }
    return hex.toString();
  }

  private static String code(String c) {
    return String.format("%04X", (int) c.charAt(0));
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.length() > 60 ? out.substring(0, 60) + "..." : out.toString();
  }
}
