package io.candlebus.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the bad-frame generators share: JSON objects kept as ordered raw field texts (so a field can be given any
 * text, valid JSON or not), and the seeded order of kinds in each round of frames.
 */
final class FrameText {
  private FrameText() {}

  /**
   * Kind index of frame {@code i} of {@code kinds} kinds: each block of {@code kinds} frames is a permutation of
   * all of them, seeded by {@code seed * multiplier + block} (each generator its own multiplier).
   */
  static int kindIndex(int i, int kinds, long seed, long multiplier) {
    SplitMix64 r = new SplitMix64(seed * multiplier + i / kinds);
    int[] perm = new int[kinds];
    for (int k = 0; k < kinds; k++) {
      perm[k] = k;
    }
    for (int k = kinds - 1; k > 0; k--) {
      int j = r.nextInt(k + 1);
      int tmp = perm[k];
      perm[k] = perm[j];
      perm[j] = tmp;
    }
    return perm[i % kinds];
  }

  static Map<String, String> with(Map<String, String> fields, String key, String rawValue) {
    Map<String, String> copy = new LinkedHashMap<>(fields);
    copy.put(key, rawValue);
    return copy;
  }

  static Map<String, String> without(Map<String, String> fields, String key) {
    Map<String, String> copy = new LinkedHashMap<>(fields);
    copy.remove(key);
    return copy;
  }

  static String render(Map<String, String> fields) {
    StringBuilder b = new StringBuilder("{");
    fields.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return b.append('}').toString();
  }

  static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
