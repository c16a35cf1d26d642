package io.gameevents.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Operators' credentials ({@code admin.tokens}), kept like API keys: each an {@code id} and either {@code key}
 * (plain, for development) or {@code sha256}. They open the live event debugger and nothing else; a game's API
 * key never opens it. No tokens: the debugger is off.
 */
public record AdminConfig(List<Token> tokens) {

  /** One admin token; {@link #toString} never shows the secret. */
  public record Token(String id, Secret secret) {
  }

  public static final AdminConfig NONE = new AdminConfig(List.of());

  static AdminConfig from(Section s) {
    List<Token> tokens = new ArrayList<>();
    var array = s.array("tokens");
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw s.invalid("tokens", "must be an array of objects: {\"id\": ..., \"key\": ...} or {\"id\": ..., \"sha256\": ...}");
      }
      Section token = new Section(s.key("tokens") + "[" + i + "]", item);
      String id = token.requiredString("id");
      tokens.add(new Token(id, Secret.from(token, id)));
      token.done();
    }
    s.done();
    return new AdminConfig(List.copyOf(tokens));
  }
}
