package io.gameevents.delivery;

import java.util.BitSet;

/** Which records of one {@link Sink#write} call the destination confirmed. */
public final class WriteResult {

  private final int size;
  private final BitSet delivered;

  private WriteResult(int size, BitSet delivered) {
    this.size = size;
    this.delivered = delivered;
  }

  public static WriteResult allDelivered(int size) {
    BitSet bits = new BitSet(size);
    bits.set(0, size);
    return new WriteResult(size, bits);
  }

  public static WriteResult noneDelivered(int size) {
    return new WriteResult(size, new BitSet(size));
  }

  /** Starts with nothing delivered; mark confirmed records with {@link #markDelivered}. */
  public static WriteResult of(int size) {
    return noneDelivered(size);
  }

  public WriteResult markDelivered(int index) {
    delivered.set(index);
    return this;
  }

  public boolean delivered(int index) {
    return delivered.get(index);
  }

  public int deliveredCount() {
    return delivered.cardinality();
  }

  public int size() {
    return size;
  }
}
