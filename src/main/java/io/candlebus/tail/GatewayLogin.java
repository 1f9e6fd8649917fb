package io.candlebus.tail;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Locale;

/**
 * {@code POST /api/login} as the page makes it (JSON, the gateway's own {@code Origin}): the session cookie's value,
 * or a {@link TailFailure} when the gateway refused the name, the password or our origin. Anything else (no
 * answer, 5xx while it restarts) is an ordinary failure, worth another try.
 */
public final class GatewayLogin {
  static final String COOKIE = "candlebus.session";
  static final long TIMEOUT_MS = 15_000;

  private GatewayLogin() {}

  static Future<String> login(HttpClient http, URI base, String user, String password) {
    String body = new JsonObject().put("username", user).put("password", password).encode();
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(base.getScheme() + "://" + base.getRawAuthority() + basePath(base) + "/api/login")
        .putHeader("Content-Type", "application/json").putHeader("Origin", origin(base))
        .setTimeout(TIMEOUT_MS);
    return http.request(o).compose(req -> req.send(body)).compose(r -> r.body().map(b -> answer(r, base, user)));
  }

  private static String answer(HttpClientResponse r, URI base, String user) {
    String refused = "login refused for user \"" + user + "\" at " + display(base) + ": ";
    switch (r.statusCode()) {
      case 204, 200 -> {
        for (String c : r.cookies()) {
          if (c.startsWith(COOKIE + "=")) {
            int end = c.indexOf(';');
            return c.substring(COOKIE.length() + 1, end < 0 ? c.length() : end);
          }
        }
        throw TailFailure.refused(refused + "the answer carried no " + COOKIE + " cookie (is it a candlebus?)");
      }
      case 401 -> throw TailFailure.refused(refused + "wrong name or password");
      case 429 -> throw TailFailure.refused(refused + "too many failed logins, try again in "
          + r.getHeader("Retry-After") + " s");
      case 403 -> throw TailFailure.refused(refused + "origin " + origin(base) + " not allowed (the gateway's "
          + "CANDLEBUS_PUBLIC_ORIGIN must list it)");
      case 404, 405, 415 -> throw TailFailure.refused(refused + "HTTP " + r.statusCode()
          + " (is --url a candlebus gateway?)");
      default -> throw new IllegalStateException("login answered HTTP " + r.statusCode());
    }
  }

  /** CANDLEBUS_PASSWORD, else one line of stdin (unechoed on a terminal); null when there is none. */
  public static String password(String user, URI url, Map<String, String> env, InputStream in) {
    String fromEnv = env.get("CANDLEBUS_PASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("password for %s at %s: ", user, display(url));
      return typed == null ? null : new String(typed);
    }
    try {
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code scheme://host[:port]} as a browser sends it: no default port, no path. */
  static String origin(URI base) {
    String scheme = base.getScheme().toLowerCase(Locale.ROOT);
    int port = base.getPort();
    boolean standard = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + base.getHost().toLowerCase(Locale.ROOT) + (standard ? "" : ":" + port);
  }

  /** The URL's path without trailing slashes: a gateway behind a proxy's sub-path keeps it. */
  static String basePath(URI base) {
    String p = base.getRawPath() == null ? "" : base.getRawPath();
    return p.replaceAll("/+$", "");
  }

  /** The URL as the user wrote it, for messages (without a trailing slash). */
  public static String display(URI base) {
    return base.toString().replaceAll("/+$", "");
  }
}
