package io.candlebus.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A logged-in HTTP client for test threads: its own cookie jar, the session's CSRF token on changes. */
public final class HttpSession {
  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient client;
  private String csrf;

  public HttpSession(String base) {
    this.base = base;
    // HTTP/1.1 as browsers speak it on plain http (the JDK would try an h2c upgrade)
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .cookieHandler(cookies).build();
  }

  /** Logs in with {@code POST /api/login}; fails the test unless it answers 204. */
  public static HttpSession login(String base, String username, String password) {
    HttpSession s = new HttpSession(base);
    HttpResponse<String> r = s.postJson("/api/login", new JsonObject().put("username", username)
        .put("password", password));
    if (r.statusCode() != 204) {
      throw new AssertionError("login of " + username + " answered " + r.statusCode() + ": " + r.body());
    }
    s.csrf = new JsonObject(s.get("/api/session").body()).getString("csrf");
    return s;
  }

  public String base() {
    return base;
  }

  /** The value of the session cookie, for clients that are not this one (WebSockets). */
  public String sessionCookie() {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("candlebus.session"))
        .map(HttpCookie::getValue).findFirst().orElse(null);
  }

  public String csrf() {
    return csrf;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public JsonArray getArray(String path) {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonArray(r.body());
  }

  public HttpResponse<String> postJson(String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return send(b);
  }

  public HttpResponse<String> putJson(String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return send(b);
  }

  public HttpResponse<String> delete(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).DELETE();
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return send(b);
  }

  /** For responses that stream (SockJS's xhr_streaming): the body as it arrives. */
  public HttpResponse<java.io.InputStream> sendStreaming(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new AssertionError(request.build().uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.build().uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
