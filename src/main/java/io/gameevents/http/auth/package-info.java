/**
 * Bearer authentication (RFC 6750) for the ingestion endpoint: {@link io.gameevents.http.auth.Authenticator}
 * turns an {@code Authorization} header into a {@link io.gameevents.http.auth.Principal} (which app_ids it may
 * write), checking static API keys by SHA-256 and JWTs (HS256/RS256/ES256) via vertx-auth-jwt.
 */
package io.gameevents.http.auth;
