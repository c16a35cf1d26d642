package io.gameevents.util;

/**
 * Strict UTF-8 (RFC 3629): no overlong forms, no encoded surrogates, nothing past U+10FFFF, no
 * sequence cut short. Jackson lets overlong forms and encoded surrogates through, and the raw
 * payload is stored as received, so without this check a sink file could hold bytes that are not
 * UTF-8 and that a warehouse loader rejects.
 */
public final class Utf8 {

  private Utf8() {
  }

  /**
   * The index of the first byte that is not strict UTF-8 or is NUL, or -1 if there is none. NUL is
   * valid UTF-8 but never appears raw in JSON text, while UTF-16 and UTF-32 text of ASCII is full
   * of it: refusing it keeps the JSON parser from guessing one of those encodings.
   */
  public static int firstInvalid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      // every request body passes here: eight bytes at a time while they are all ASCII and none is NUL
      while (i <= n - Long.BYTES) {
        long word = ByteWords.at(bytes, i);
        if (ByteWords.hasHighBit(word) || ByteWords.hasZeroByte(word)) {
          break;
        }
        i += Long.BYTES;
      }
      if (i == n) {
        break;
      }
      int b = bytes[i];
      if (b > 0) { // ASCII, the usual case
        i++;
        continue;
      }
      if (b == 0) {
        return i;
      }
      int lead = b & 0xFF;
      int length;
      int min;
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        min = 0x10000;
      } else {
        return i; // a continuation byte first, C0/C1 (always overlong) or F5 and above
      }
      if (i + length > n) {
        return i;
      }
      int code = lead & (0xFF >> (length + 1));
      for (int k = 1; k < length; k++) {
        int next = bytes[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return i;
        }
        code = (code << 6) | (next & 0x3F);
      }
      if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return i;
      }
      i += length;
    }
    return -1;
  }
}
