package io.gameevents.logging;

import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashCommonFieldNames;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * One JSON object per line: {@code @timestamp}, {@code level}, {@code logger}, {@code thread}, {@code message},
 * the structured arguments of the call as top-level fields (the access log's {@code request_id}, {@code status}
 * and so on), and {@code stack_trace} when there is one. A class rather than XML settings so the tests capture
 * lines with the very encoder the service runs.
 */
public class JsonLogEncoder extends LogstashEncoder {

  public JsonLogEncoder() {
    LogstashFieldNames names = new LogstashFieldNames();
    names.setLogger("logger");
    names.setThread("thread");
    // constant on every line: bytes and nothing to search on
    names.setVersion(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    names.setLevelValue(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    setFieldNames(names);
  }
}
