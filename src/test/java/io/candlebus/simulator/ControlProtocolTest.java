package io.candlebus.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {
  /** A connection's state without a connection. */
  private static final class FakeSession implements ControlProtocol.Session {
    final Set<String> streams = new LinkedHashSet<>();
    boolean combined;

    @Override
    public List<String> streams() {
      return new ArrayList<>(streams);
    }

    @Override
    public void subscribe(List<String> s) {
      streams.addAll(s);
    }

    @Override
    public void unsubscribe(List<String> s) {
      s.forEach(streams::remove);
    }

    @Override
    public boolean combined() {
      return combined;
    }

    @Override
    public void combined(boolean c) {
      combined = c;
    }
  }

  private final FakeSession session = new FakeSession();

  private String handle(String text) {
    return ControlProtocol.handle(text, session);
  }

  @Test
  void subscribeListUnsubscribe() {
    assertThat(handle("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\",\"btcusdt@depth\"],\"id\":1}"))
        .isEqualTo("{\"result\":null,\"id\":1}");
    assertThat(handle("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@depth\"],\"id\":312}"))
        .isEqualTo("{\"result\":null,\"id\":312}");
    assertThat(handle("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}"))
        .isEqualTo("{\"result\":[\"btcusdt@aggTrade\"],\"id\":3}");
    assertThat(handle("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\"abc-123\"}"))
        .isEqualTo("{\"result\":[\"btcusdt@aggTrade\"],\"id\":\"abc-123\"}");
    assertThat(handle("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":null}"))
        .isEqualTo("{\"result\":[\"btcusdt@aggTrade\"],\"id\":null}");
  }

  @Test
  void properties() {
    assertThat(handle("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":5}"))
        .isEqualTo("{\"result\":null,\"id\":5}");
    assertThat(session.combined).isTrue();
    assertThat(handle("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":2}"))
        .isEqualTo("{\"result\":true,\"id\":2}");
    assertThat(handle("{\"method\":\"GET_PROPERTY\",\"params\":[\"colour\"],\"id\":2}"))
        .isEqualTo("{\"code\":0,\"msg\":\"Unknown property\",\"id\":2}");
    assertThat(handle("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":6}"))
        .isEqualTo("{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\",\"id\":6}");
    assertThat(handle("{\"method\":\"SET_PROPERTY\",\"params\":[7,true],\"id\":7}"))
        .isEqualTo("{\"code\":2,\"msg\":\"Invalid request: property name must be a string\",\"id\":7}");
    assertThat(handle("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true,1],\"id\":8}"))
        .isEqualTo("{\"code\":2,\"msg\":\"Invalid request: too many parameters\",\"id\":8}");
    assertThat(session.combined).isTrue();
  }

  @Test
  void badRequests() {
    String unknown = "{\"method\":\"FOO\",\"id\":9}";
    // serde counts the characters read up to the end of the bad value: {"method":"FOO" is 15
    assertThat(new JsonObject(handle(unknown)).getString("msg")).isEqualTo("Invalid request: unknown variant `FOO`,"
        + " expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`"
        + " at line 1 column 15");
    assertThat(new JsonObject(handle(unknown)).getInteger("code")).isEqualTo(2);
    assertThat(new JsonObject(handle(unknown)).getInteger("id")).isEqualTo(9);
    assertThat(handle("{\"params\":[],\"id\":1}"))
        .isEqualTo("{\"code\":2,\"msg\":\"Invalid request: missing field `method` at line 1 column 20\"}");
    assertThat(handle("{\"method\":\"LIST_SUBSCRIPTIONS\"}"))
        .isEqualTo("{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}");
    assertThat(handle("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1.5}"))
        .isEqualTo("{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}");
    assertThat(handle("{\"method\":\"LIST_SUBSCRIPTIONS\",\"params\":[\"x\"],\"id\":4}"))
        .isEqualTo("{\"code\":2,\"msg\":\"Invalid request: too many parameters\",\"id\":4}");
    assertThat(new JsonObject(handle("{\"method\":\"SUBSCRIBE\",\"params\":[1],\"id\":4}")).getInteger("code"))
        .isEqualTo(2);
  }

  @Test
  void malformedJson() {
    assertThat(handle("{\"method\":")).startsWith("{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1");
    assertThat(handle("hello")).startsWith("{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column");
    assertThat(handle("{} {}")).startsWith("{\"code\":3,");
    assertThat(handle("")).startsWith("{\"code\":3,");
    assertThat(session.streams).isEmpty();
  }

  @Test
  void atMost1024StreamsPerConnection() {
    StringBuilder many = new StringBuilder("{\"method\":\"SUBSCRIBE\",\"params\":[");
    for (int i = 0; i < 1024; i++) {
      many.append(i == 0 ? "" : ",").append("\"s").append(i).append("@aggTrade\"");
    }
    assertThat(handle(many + "],\"id\":1}")).isEqualTo("{\"result\":null,\"id\":1}");
    assertThat(handle("{\"method\":\"SUBSCRIBE\",\"params\":[\"s1@aggTrade\"],\"id\":2}"))
        .isEqualTo("{\"result\":null,\"id\":2}");
    String over = handle("{\"method\":\"SUBSCRIBE\",\"params\":[\"one@aggTrade\"],\"id\":3}");
    assertThat(new JsonObject(over).getInteger("code")).isEqualTo(2);
    assertThat(new JsonObject(over).getString("msg")).contains("1024");
    assertThat(session.streams).hasSize(1024).doesNotContain("one@aggTrade");
  }
}
