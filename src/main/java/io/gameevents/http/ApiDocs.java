package io.gameevents.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** GET /openapi.yaml (the contract) and GET /docs (Swagger UI from the org.webjars:swagger-ui jar). */
final class ApiDocs {

  private static final String INITIALIZER = """
      window.onload = function() {
        window.ui = SwaggerUIBundle({ url: "/openapi.yaml", dom_id: "#swagger-ui", deepLinking: true,
          presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });
      };
      """;

  private ApiDocs() {
  }

  static void mount(Router router) {
    Buffer openapi = Buffer.buffer(resource("openapi.yaml"));
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openapi));
    router.get("/docs").handler(ctx -> ctx.redirect("/docs/"));
    router.get("/docs/swagger-initializer.js").handler(ctx ->
        ctx.response().putHeader("Content-Type", "text/javascript").end(INITIALIZER));
    router.get("/docs/*").handler(StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion()));
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
