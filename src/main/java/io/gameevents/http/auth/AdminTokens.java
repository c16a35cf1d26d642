package io.gameevents.http.auth;

import io.gameevents.config.AdminConfig;
import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.config.Secret;

import java.util.List;

/**
 * The operators' tokens ({@code admin.tokens}) that open the live event debugger, held and compared like API
 * keys ({@link HashedSecrets}: digests only, constant time). A token that is also a game's API key is refused at
 * start-up: a game's key must never open the debugger.
 */
public final class AdminTokens {

  private final HashedSecrets<String> tokens;
  private final boolean configured;

  private AdminTokens(HashedSecrets<String> tokens, boolean configured) {
    this.tokens = tokens;
    this.configured = configured;
  }

  /** @throws ConfigException naming the token that is unusable or the same as an API key */
  public static AdminTokens from(AdminConfig admin, AuthConfig auth) {
    HashedSecrets<String> tokens = new HashedSecrets<>();
    List<AdminConfig.Token> configured = admin.tokens();
    for (int i = 0; i < configured.size(); i++) {
      AdminConfig.Token token = configured.get(i);
      String path = "admin.tokens[" + i + "]";
      if (token.secret().key() != null) {
        ApiKeys.checkUsableAsBearerToken(token.secret().key(), path + ".key", false);
      }
      tokens.add(path, token.secret(), token.id());
    }
    List<AuthConfig.ApiKey> keys = auth.apiKeys() == null ? List.of() : auth.apiKeys();
    for (int j = 0; j < keys.size(); j++) {
      String same = tokens.pathOf(HashedSecrets.digestOf(new Secret(keys.get(j).key(), keys.get(j).sha256())));
      if (same != null) {
        throw new ConfigException(same + ": same key as auth.api_keys[" + j + "]; a game's API key must never "
            + "open the debugger, choose another admin token");
      }
    }
    return new AdminTokens(tokens, !configured.isEmpty());
  }

  /** False: no admin tokens, the debugger is off. */
  public boolean configured() {
    return configured;
  }

  /** The admin token's id, or throws {@link AuthenticationException} (never quoting the token). */
  public String authenticate(String authorizationHeader) {
    String id = tokens.find(BearerHeader.token(authorizationHeader));
    if (id == null) {
      throw AuthenticationException.invalidToken("unknown admin token");
    }
    return id;
  }
}
