package io.gameevents.sdk.example;

import io.gameevents.sdk.EventContext;
import io.gameevents.sdk.EventResponse;
import io.gameevents.sdk.GameEventClient;
import io.gameevents.sdk.GameEventClientConfig;
import io.gameevents.sdk.InstallEvent;
import io.gameevents.sdk.PurchaseEvent;

import java.util.UUID;

/**
 * Sends one install and one purchase to a running server and prints both answers.
 * Usage: {@code SendEvents [baseUrl [apiKey]]}; defaults come from GAME_EVENTS_URL / GAME_EVENTS_API_KEY,
 * then http://127.0.0.1:8000 and dev-secret. Exits 0 when both events were stored, 1 otherwise.
 */
public final class SendEvents {

  private SendEvents() {
  }

  public static void main(String[] args) {
    String baseUrl = args.length > 0 ? args[0] : envOr("GAME_EVENTS_URL", "http://127.0.0.1:8000");
    String apiKey = args.length > 1 ? args[1] : envOr("GAME_EVENTS_API_KEY", "dev-secret");
    int exitCode = run(baseUrl, apiKey);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  static int run(String baseUrl, String apiKey) {
    GameEventClientConfig config = GameEventClientConfig.builder()
        .baseUrl(baseUrl)
        .apiKey(apiKey)
        .appId("com.game.test") // filled into every event that sets none
        .platform("ios")
        .context(EventContext.builder() // sent with every event, plus the SDK's name and version
            .appVersion("1.0.0")
            .os(System.getProperty("os.name"))
            .sessionId(UUID.randomUUID().toString())
            .build())
        .build();
    try (GameEventClient client = new GameEventClient(config)) {
      InstallEvent install = InstallEvent.create("player_1");
      EventResponse installResponse = client.sendInstall(install).await();
      print("Install", installResponse);

      PurchaseEvent purchase = PurchaseEvent.create("player_1", "gems_pack_01", 1, 4_990_000, "EUR");
      EventResponse purchaseResponse = client.sendPurchase(purchase).await();
      print("Purchase", purchaseResponse);

      return installResponse.delivered() && purchaseResponse.delivered() ? 0 : 1;
    }
  }

  private static void print(String what, EventResponse response) {
    System.out.println(what + " response: " + response.httpStatus() + " " + response.body());
    if (response.failure() != null) {
      System.err.println(what + " failed after " + response.attempts() + " attempts: " + response.failure());
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
