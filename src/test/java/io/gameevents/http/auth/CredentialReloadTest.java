package io.gameevents.http.auth;

import static java.util.concurrent.TimeUnit.SECONDS;
import ch.qos.logback.classic.Level;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation without a restart: the running service takes new keys, drops removed ones, keeps its keys on a bad file. */
class CredentialReloadTest extends ServiceTestBase {

  @Test
  void anAddedKeyWorksAndARemovedKeyIsRefusedWithoutARestart() throws Exception {
    JsonObject rotated = config();
    rotated.getJsonObject("auth").getJsonArray("api_keys")
        .add(new JsonObject().put("id", "rotated").put("key", "rotated-secret").put("app_ids", new JsonArray().add(TestService.APP)));

    service.main.reloadCredentials(rotated).await(60, SECONDS);
    assertThat(status("rotated-secret")).isEqualTo(200);
    assertThat(status(TestService.KEY)).isEqualTo(200);

    JsonObject withoutDev = rotated.copy();
    JsonArray keys = withoutDev.getJsonObject("auth").getJsonArray("api_keys");
    keys.remove(0); // "dev"
    service.main.reloadCredentials(withoutDev).await(60, SECONDS);
    assertThat(status(TestService.KEY)).isEqualTo(401);
    assertThat(status("rotated-secret")).isEqualTo(200);
  }

  @Test
  void aConfigThatFailsValidationKeepsTheCurrentKeys() throws Exception {
    JsonObject broken = config();
    broken.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).put("app_idz", new JsonArray());

    assertThatThrownBy(() -> service.main.reloadCredentials(broken).await(60, SECONDS))
        .hasMessage("unknown config key 'auth.api_keys[0].app_idz'");
    assertThat(status(TestService.KEY)).isEqualTo(200);
  }

  @Test
  void aNewApiKeyEqualToTheDebuggersAdminTokenIsRefusedAndLoggedInOneLine() throws Exception {
    JsonObject clash = config();
    clash.getJsonObject("auth").getJsonArray("api_keys").add(new JsonObject().put("id", "sneaky")
        .put("key", TestService.ADMIN_TOKEN).put("app_ids", new JsonArray().add(TestService.APP)));
    // the file names another admin token: still, the debugger runs with the one it started with
    clash.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).put("key", "next-admin-secret");

    try (CapturedLog log = CapturedLog.open(Level.INFO, "ROOT")) {
      assertThatThrownBy(() -> service.main.reloadCredentials(clash).await(10, TimeUnit.SECONDS))
          .hasMessage("admin.tokens[0]: same key as auth.api_keys[2]; a game's API key must never open the debugger,"
              + " choose another admin token");
      assertThat(log.lines()).filteredOn(line -> line.getString("message").startsWith("credentials"))
          .extracting(line -> line.getString("message")).containsExactly("credentials not reloaded, the current keys"
              + " stay in use: admin.tokens[0]: same key as auth.api_keys[2]; a game's API key must never open the"
              + " debugger, choose another admin token");
    }
    assertThat(status(TestService.KEY)).isEqualTo(200);
    assertThat(status(TestService.ADMIN_TOKEN)).isEqualTo(401);
  }

  @Test
  void aNewApiKeyEqualToAnAdminTokenOfTheFileIsRefused() throws Exception {
    JsonObject clash = config();
    clash.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(1).put("key", "next-admin-secret");
    clash.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).put("key", "next-admin-secret");

    assertThatThrownBy(() -> service.main.reloadCredentials(clash).await(10, TimeUnit.SECONDS))
        .hasMessageStartingWith("admin.tokens[0]: same key as auth.api_keys[1]");
    assertThat(status(TestService.OTHER_APP_KEY)).isEqualTo(403); // still the "other" key: its app is not this one
    assertThat(status("next-admin-secret")).isEqualTo(401);
  }

  @Test
  void thePublishedDevKeyOffLoopbackIsRefusedAsAtStartUp() throws Exception {
    JsonObject exposed = config();
    exposed.getJsonObject("http").put("host", "0.0.0.0");
    exposed.getJsonObject("auth").getJsonArray("api_keys").add(new JsonObject().put("id", "new")
        .put("key", "new-key-0123456").put("app_ids", new JsonArray().add(TestService.APP)));

    assertThatThrownBy(() -> service.main.reloadCredentials(exposed).await(10, TimeUnit.SECONDS))
        .hasMessageStartingWith("auth.api_keys[0] (id \"dev\") is the published development key \"dev-secret\"");
    assertThat(status("new-key-0123456")).isEqualTo(401);
    assertThat(status(TestService.KEY)).isEqualTo(200);
  }

  private JsonObject config() {
    return TestService.config(service.dataDir, service.port);
  }

  private int status(String key) throws Exception {
    return service.post("/v1/events/install", key).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS).statusCode();
  }
}
