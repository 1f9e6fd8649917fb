package io.candlebus.web;

/** The server-rendered login form: it carries the session's CSRF token. */
final class LoginPage {
  private LoginPage() {}

  static String render(String csrf, String message) {
    String notice = message == null ? "" : "<p class=\"notice\" role=\"alert\">" + escape(message) + "</p>";
    return """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>candlebus — sign in</title>
          <link rel="stylesheet" href="/public/login.css">
        </head>
        <body>
          <main class="login">
            <h1>candlebus</h1>
            %s
            <form method="post" action="/login">
              <input type="hidden" name="csrf" value="%s">
              <label>Username <input name="username" autocomplete="username" required autofocus
                data-testid="login-username"></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required
                data-testid="login-password"></label>
              <button type="submit" data-testid="login-submit">Sign in</button>
            </form>
          </main>
        </body>
        </html>
        """.formatted(notice, escape(csrf));
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
