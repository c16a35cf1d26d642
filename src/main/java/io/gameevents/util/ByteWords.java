package io.gameevents.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A byte array read eight bytes at a time, for the scans that pass over every byte of every request (the body's
 * UTF-8 check, the raw payload's line breaks): a word is tested for a byte of interest in a few operations, and only
 * a word that has one is looked at byte by byte.
 */
public final class ByteWords {

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** Each byte 0x01: times a byte value, the word of eight such bytes. */
  public static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteWords() {
  }

  /** The eight bytes from {@code index} on, the first in the lowest byte. */
  public static long at(byte[] bytes, int index) {
    return (long) LONG_LE.get(bytes, index);
  }

  /**
   * Whether a byte of {@code word} is zero: only a zero byte borrows when one is subtracted from each and had its
   * high bit clear. To find a byte {@code b}, test {@code word ^ (ONES * b)}.
   */
  public static boolean hasZeroByte(long word) {
    return ((word - ONES) & ~word & HIGHS) != 0;
  }

  /** Whether a byte of {@code word} has its high bit set: is not ASCII. */
  public static boolean hasHighBit(long word) {
    return (word & HIGHS) != 0;
  }
}
