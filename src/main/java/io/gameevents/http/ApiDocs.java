package io.gameevents.http;

import io.gameevents.http.validation.EventValidator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * GET /openapi.yaml (the contract, completed with the schema files by {@link OpenApiDocument}), GET /docs
 * (Swagger UI from the org.webjars:swagger-ui jar) and GET /schemas/{file} ({@link SchemaFiles}).
 */
final class ApiDocs {

  private static final String INITIALIZER = """
      window.onload = function() {
        window.ui = SwaggerUIBundle({ url: "/openapi.yaml", dom_id: "#swagger-ui", deepLinking: true,
          presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });
      };
      """;

  private ApiDocs() {
  }

  static void mount(Router router, EventValidator validator) {
    router.get("/schemas/:file").handler(new SchemaFiles(validator.schemaFiles())::handle);
    router.get("/openapi.yaml").handler(new LazyDocument(validator)::serve);
    // The page's links are relative ("./swagger-ui.css"): at /docs, without the slash, they would resolve
    // under /, so the page served there names /docs/ as its base. No redirect: /docs answers the page itself.
    String webjar = "META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion();
    Buffer page = Buffer.buffer(new String(resource(webjar + "/index.html"), StandardCharsets.UTF_8)
        .replaceFirst("<head>", "<head>\n    <base href=\"/docs/\">"));
    router.get("/docs").handler(ctx -> {
      if (ctx.request().path().equals("/docs")) {
        ctx.response().putHeader("Content-Type", "text/html;charset=UTF-8").end(page);
      } else {
        ctx.next(); // the router matches "/docs/" here too
      }
    });
    router.get("/docs/swagger-initializer.js").handler(ctx ->
        ctx.response().putHeader("Content-Type", "text/javascript").end(INITIALIZER));
    router.get("/docs/*").handler(StaticHandler.create(webjar));
  }

  /**
   * The OpenAPI document, built on the first GET, on a worker thread, then kept: most nodes are never asked
   * for it, and building it (the template's YAML read and the whole document written as YAML) was about 9%
   * of the CPU to /ready, twice (once per HTTP instance). One per HTTP instance, used on its event loop only.
   */
  private static final class LazyDocument {

    private final EventValidator validator;
    private Future<Buffer> document;

    LazyDocument(EventValidator validator) {
      this.validator = validator;
    }

    void serve(RoutingContext ctx) {
      if (document == null) {
        document = ctx.vertx().executeBlocking(() -> Buffer.buffer(OpenApiDocument.yaml(OpenApiDocument.build(
            new String(resource("openapi.yaml"), StandardCharsets.UTF_8), validator.schemaFiles(),
            validator.versions()))));
      }
      document.onSuccess(yaml -> ctx.response().putHeader("Content-Type", "application/yaml").end(yaml))
          .onFailure(ctx::fail);
    }
  }

  private static String swaggerUiVersion() {
    Properties pom = new Properties();
    try (InputStream in = ApiDocs.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      pom.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the swagger-ui webjar is missing from the classpath", e);
    }
    return pom.getProperty("version");
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
