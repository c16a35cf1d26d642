package io.gameevents.delivery.firehose;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.Record;

import java.util.ArrayList;
import java.util.List;

/**
 * The Firehose records of one PutRecordBatch call, and which of the write's events each holds.
 * Every event is its JSON followed by '\n', so a destination that concatenates records (S3) gets
 * one event per line either way. Aggregated, consecutive events share a record up to Firehose's
 * 1,000 KiB record limit, never split: Firehose bills each record rounded up to 5 KB, so a few
 * hundred bytes per record would be billed ten times or more over.
 */
final class RecordBatch {

  /** One record's data: an event of {@link FirehoseSink#MAX_RECORD_BYTES} plus its '\n' fills it exactly. */
  static final int MAX_RECORD_DATA = FirehoseSink.MAX_RECORD_BYTES + 1;

  private final List<Record> records;
  /** firstEvent[r] is the index of record r's first event; one entry more, the event count, closes the last. */
  private final int[] firstEvent;

  private RecordBatch(List<Record> records, int[] firstEvent) {
    this.records = records;
    this.firstEvent = firstEvent;
  }

  static RecordBatch of(List<byte[]> events, boolean aggregate) {
    return aggregate ? aggregated(events) : oneRecordPerEvent(events);
  }

  static RecordBatch oneRecordPerEvent(List<byte[]> events) {
    List<Record> records = new ArrayList<>(events.size());
    int[] first = new int[events.size() + 1];
    for (int i = 0; i < events.size(); i++) {
      first[i] = i;
      records.add(record(events, i, i + 1, events.get(i).length + 1));
    }
    first[events.size()] = events.size();
    return new RecordBatch(records, first);
  }

  /**
   * Packs events greedily in order. An event too big for a record (the HTTP stage and the batcher
   * prevent it) still gets a record of its own, which Firehose refuses like any oversized record.
   */
  static RecordBatch aggregated(List<byte[]> events) {
    List<Record> records = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < events.size(); i++) {
      int line = events.get(i).length + 1;
      if (i > start && bytes + line > MAX_RECORD_DATA) {
        starts.add(start);
        records.add(record(events, start, i, bytes));
        start = i;
        bytes = 0;
      }
      bytes += line;
    }
    if (!events.isEmpty()) {
      starts.add(start);
      records.add(record(events, start, events.size(), bytes));
    }
    int[] first = new int[starts.size() + 1];
    for (int r = 0; r < starts.size(); r++) {
      first[r] = starts.get(r);
    }
    first[starts.size()] = events.size();
    return new RecordBatch(records, first);
  }

  List<Record> records() {
    return records;
  }

  /** Index of record r's first event. */
  int firstEvent(int record) {
    return firstEvent[record];
  }

  /** One past record r's last event. */
  int endEvent(int record) {
    return firstEvent[record + 1];
  }

  private static Record record(List<byte[]> events, int from, int to, int bytes) {
    byte[] data = new byte[bytes];
    int at = 0;
    for (int i = from; i < to; i++) {
      byte[] event = events.get(i);
      System.arraycopy(event, 0, data, at, event.length);
      at += event.length;
      data[at++] = '\n';
    }
    return Record.builder().data(SdkBytes.fromByteArrayUnsafe(data)).build();
  }
}
