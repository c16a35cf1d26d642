package io.gameevents.http.auth;

import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation without a restart: the running service takes new keys, drops removed ones, keeps its keys on a bad file. */
class CredentialReloadTest extends ServiceTestBase {

  @Test
  void anAddedKeyWorksAndARemovedKeyIsRefusedWithoutARestart() {
    JsonObject rotated = config();
    rotated.getJsonObject("auth").getJsonArray("api_keys")
        .add(new JsonObject().put("id", "rotated").put("key", "rotated-secret").put("app_ids", new JsonArray().add(TestService.APP)));

    service.main.reloadCredentials(rotated).await();
    assertThat(status("rotated-secret")).isEqualTo(200);
    assertThat(status(TestService.KEY)).isEqualTo(200);

    JsonObject withoutDev = rotated.copy();
    JsonArray keys = withoutDev.getJsonObject("auth").getJsonArray("api_keys");
    keys.remove(0); // "dev"
    service.main.reloadCredentials(withoutDev).await();
    assertThat(status(TestService.KEY)).isEqualTo(401);
    assertThat(status("rotated-secret")).isEqualTo(200);
  }

  @Test
  void aConfigThatFailsValidationKeepsTheCurrentKeys() {
    JsonObject broken = config();
    broken.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).put("app_idz", new JsonArray());

    assertThatThrownBy(() -> service.main.reloadCredentials(broken).await())
        .hasMessage("unknown config key 'auth.api_keys[0].app_idz'");
    assertThat(status(TestService.KEY)).isEqualTo(200);
  }

  private JsonObject config() {
    return TestService.config(service.dataDir, service.port);
  }

  private int status(String key) {
    return service.post("/v1/events/install", key).sendBuffer(install(newId()).toBuffer()).await().statusCode();
  }
}
