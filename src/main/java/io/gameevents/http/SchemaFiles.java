package io.gameevents.http;

import io.gameevents.http.problem.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET /schemas/{file}: the JSON Schema files the validation uses ({@code install.v1.json}, custom types from
 * validation.schema_directory, and the files they reference such as {@code common.v1.json}), for client
 * developers and the SDK's local checks. They are the public contract, so no credential is needed. Only the
 * files held in memory at start-up are served, looked up by exact name: no path reaches the file system, so
 * {@code ../} in any encoding finds nothing.
 */
final class SchemaFiles {

  static final String CONTENT_TYPE = "application/schema+json";
  /** Schemas change only with a restart (a new schema_directory file); caches revalidate with the ETag. */
  private static final String CACHE_CONTROL = "public, max-age=300";
  private static final int MAX_ECHOED_NAME_CHARS = 100;

  private record File(Buffer body, String etag) {
  }

  private final Map<String, File> files = new LinkedHashMap<>();

  SchemaFiles(Map<String, String> texts) {
    texts.forEach((name, text) -> {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      files.put(name, new File(Buffer.buffer(bytes), "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\""));
    });
  }

  void handle(RoutingContext ctx) {
    String name = ctx.pathParam("file");
    File file = name == null ? null : files.get(name);
    if (file == null) {
      Problem.of(Reason.NOT_FOUND, "there is no schema file " + quoted(name) + "; the schemas are "
          + String.join(", ", files.keySet())).send(ctx);
      return;
    }
    ctx.response()
        .putHeader("Cache-Control", CACHE_CONTROL)
        .putHeader("ETag", file.etag())
        .putHeader("Access-Control-Allow-Origin", "*"); // public, read without credentials: any page may read it
    if (file.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(file.body());
  }

  private static String quoted(String name) {
    String text = name == null ? "" : name;
    return "\"" + (text.length() <= MAX_ECHOED_NAME_CHARS ? text : text.substring(0, MAX_ECHOED_NAME_CHARS) + "...")
        + "\"";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
