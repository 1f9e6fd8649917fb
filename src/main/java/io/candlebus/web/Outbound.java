package io.candlebus.web;

/**
 * One bridge message for browsers, encoded once however many browsers get it: the JSON text (what a SockJS
 * session frames itself) and that text as a JSON string literal (what goes between the brackets of a SockJS
 * {@code a[...]} frame), with everything outside printable ASCII escaped as SockJS clients expect.
 */
record Outbound(String json, String literal) {

  static Outbound of(String json) {
    return new Outbound(json, literal(json));
  }

  static String literal(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.append('"').toString();
  }
}
