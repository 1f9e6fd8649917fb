package io.candlebus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IntervalTest {
  private static long utc(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void allSixteenBinanceCodesInOrder() {
    assertThat(Interval.all()).extracting(Interval::code).containsExactly(
        "1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M");
    assertThat(Interval.fromCode("1M")).contains(Interval.MO1);
    assertThat(Interval.fromCode("1m")).contains(Interval.M1);
    assertThat(Interval.fromCode("1H")).isEmpty();
  }

  @Test
  void fixedIntervalsAlignToUtcEpochMultiples() {
    long t = utc("2021-05-14T18:26:30.053Z");
    assertThat(Interval.S1.openTime(t)).isEqualTo(utc("2021-05-14T18:26:30Z"));
    assertThat(Interval.M1.openTime(t)).isEqualTo(utc("2021-05-14T18:26:00Z"));
    assertThat(Interval.M3.openTime(t)).isEqualTo(utc("2021-05-14T18:24:00Z"));
    assertThat(Interval.M5.openTime(t)).isEqualTo(utc("2021-05-14T18:25:00Z"));
    assertThat(Interval.M15.openTime(t)).isEqualTo(utc("2021-05-14T18:15:00Z"));
    assertThat(Interval.M30.openTime(t)).isEqualTo(utc("2021-05-14T18:00:00Z"));
    assertThat(Interval.H1.openTime(t)).isEqualTo(utc("2021-05-14T18:00:00Z"));
    assertThat(Interval.H2.openTime(t)).isEqualTo(utc("2021-05-14T18:00:00Z"));
    assertThat(Interval.H4.openTime(t)).isEqualTo(utc("2021-05-14T16:00:00Z"));
    assertThat(Interval.H6.openTime(t)).isEqualTo(utc("2021-05-14T18:00:00Z"));
    assertThat(Interval.H8.openTime(t)).isEqualTo(utc("2021-05-14T16:00:00Z"));
    assertThat(Interval.H12.openTime(t)).isEqualTo(utc("2021-05-14T12:00:00Z"));
    assertThat(Interval.D1.openTime(t)).isEqualTo(utc("2021-05-14T00:00:00Z"));
    // 3d: epoch multiples of 3 days (Binance does not document 3d alignment; see README)
    assertThat(Interval.D3.openTime(t) % (3 * 86_400_000L)).isZero();
    assertThat(Interval.D3.openTime(t)).isEqualTo(utc("2021-05-12T00:00:00Z"));
  }

  @Test
  void realKlineWindowsFromTheRecordings() {
    // FTMUSDT 1m kline of 2021-08-14 and BTCUSDT 5m of 2021-09-14, as Binance sent them (t, T)
    assertThat(Interval.M1.openTime(1628952396572L)).isEqualTo(1628952360000L);
    assertThat(Interval.M1.closeTime(1628952360000L)).isEqualTo(1628952419999L);
    assertThat(Interval.M5.openTime(1631637132163L)).isEqualTo(1631637000000L);
    assertThat(Interval.M5.closeTime(1631637000000L)).isEqualTo(1631637299999L);
    // 30m REST rows of 2021-10-04 (stewarteaton 30minCandle.csv): 08:30 .. 08:59:59.999
    assertThat(Interval.M30.closeTime(1633336200000L)).isEqualTo(1633337999999L);
  }

  @Test
  void weekStartsMondayUtcAsInBinanceDocs() {
    // the docs' example: 1499040000000 (Mon 2017-07-03) .. 1499644799999
    assertThat(Interval.W1.openTime(1499040000000L)).isEqualTo(1499040000000L);
    assertThat(Interval.W1.closeTime(1499040000000L)).isEqualTo(1499644799999L);
    assertThat(Interval.W1.openTime(utc("2017-07-09T23:59:59.999Z"))).isEqualTo(1499040000000L);
    assertThat(Interval.W1.openTime(utc("2017-07-10T00:00:00Z"))).isEqualTo(utc("2017-07-10T00:00:00Z"));
    // before the first Monday after the epoch
    assertThat(Interval.W1.openTime(0)).isEqualTo(utc("1969-12-29T00:00:00Z"));
  }

  @Test
  void monthIsTheCalendarMonth() {
    assertThat(Interval.MO1.openTime(utc("2024-02-29T23:59:59.999Z"))).isEqualTo(utc("2024-02-01T00:00:00Z"));
    assertThat(Interval.MO1.closeTime(utc("2024-02-01T00:00:00Z"))).isEqualTo(utc("2024-02-29T23:59:59.999Z"));
    assertThat(Interval.MO1.closeTime(utc("2023-02-01T00:00:00Z"))).isEqualTo(utc("2023-02-28T23:59:59.999Z"));
    assertThat(Interval.MO1.nextOpenTime(utc("2021-12-01T00:00:00Z"))).isEqualTo(utc("2022-01-01T00:00:00Z"));
    assertThat(Interval.MO1.closeTime(utc("2021-01-01T00:00:00Z"))).isEqualTo(utc("2021-01-31T23:59:59.999Z"));
  }

  @ParameterizedTest
  @EnumSource(Interval.class)
  void windowsTileTimeWithoutGapsOrOverlap(Interval i) {
    Random r = new Random(42);
    for (int n = 0; n < 2_000; n++) {
      long t = utc("2017-01-01T00:00:00Z") + (long) (r.nextDouble() * 10L * 365 * 86_400_000L);
      long open = i.openTime(t);
      long close = i.closeTime(open);
      assertThat(open).isLessThanOrEqualTo(t);
      assertThat(close).isGreaterThanOrEqualTo(t);
      assertThat(close).isEqualTo(i.nextOpenTime(open) - 1);
      assertThat(i.openTime(open)).isEqualTo(open);
      assertThat(i.openTime(close)).isEqualTo(open);
      assertThat(i.openTime(close + 1)).isEqualTo(close + 1);
      ZonedDateTime z = Instant.ofEpochMilli(open).atZone(ZoneOffset.UTC);
      if (i == Interval.W1) {
        assertThat(z.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
      }
      if (i == Interval.MO1) {
        assertThat(z.getDayOfMonth()).isEqualTo(1);
      }
      if (i.ordinal() >= Interval.D1.ordinal()) {
        assertThat(z.toLocalTime().toSecondOfDay()).isZero();
      }
    }
  }

  @Test
  void closeTimeIsOpenPlusLengthMinusOneMs() {
    for (Interval i : List.of(Interval.S1, Interval.M1, Interval.H1, Interval.D1, Interval.D3, Interval.W1)) {
      long open = i.openTime(utc("2022-06-15T10:11:12Z"));
      assertThat(i.closeTime(open)).isEqualTo(open + i.approxMillis() - 1);
    }
  }
}
