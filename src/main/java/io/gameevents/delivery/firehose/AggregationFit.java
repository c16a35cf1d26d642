package io.gameevents.delivery.firehose;

import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.ProcessorType;

/**
 * Whether a stream's destination can take aggregated records (several newline-separated events in
 * one Firehose record), judged from DescribeDeliveryStream. AWS documents S3 objects as the records
 * concatenated (Redshift loads those objects with COPY, which reads one JSON object after another),
 * and asks for one single-line JSON object per record for OpenSearch; a Snowflake destination maps
 * a record's JSON keys onto one row's columns. Other destinations, and S3 features that read each
 * record (format conversion, dynamic partitioning, a Lambda), are not documented either way.
 */
final class AggregationFit {

  enum Verdict {
    /** The destination splits the data at newlines (S3 objects). */
    SUITED,
    /** The destination reads one JSON object per record: aggregated events would not load one row each. */
    UNSUITED,
    /** Nothing documented either way (HTTP endpoint, Splunk, Iceberg, S3 reading each record, not described). */
    UNKNOWN
  }

  record Fit(Verdict verdict, String destination) {
  }

  private AggregationFit() {
  }

  static Fit of(DeliveryStreamDescription stream) {
    Fit fit = new Fit(Verdict.UNKNOWN, "an undescribed destination");
    for (DestinationDescription destination : stream.destinations()) {
      Fit one = of(destination);
      if (one.verdict() == Verdict.UNSUITED) {
        return one;
      }
      if (fit.verdict() == Verdict.UNKNOWN) {
        fit = one;
      }
    }
    return fit;
  }

  private static Fit of(DestinationDescription d) {
    if (d.snowflakeDestinationDescription() != null) {
      return new Fit(Verdict.UNSUITED, "Snowflake");
    }
    if (d.amazonopensearchserviceDestinationDescription() != null || d.elasticsearchDestinationDescription() != null
        || d.amazonOpenSearchServerlessDestinationDescription() != null) {
      return new Fit(Verdict.UNSUITED, "OpenSearch");
    }
    if (d.redshiftDestinationDescription() != null) {
      return new Fit(Verdict.SUITED, "Redshift");
    }
    if (d.extendedS3DestinationDescription() != null) {
      return ofS3(d.extendedS3DestinationDescription());
    }
    if (d.s3DestinationDescription() != null) {
      return new Fit(Verdict.SUITED, "S3");
    }
    if (d.httpEndpointDestinationDescription() != null) {
      return new Fit(Verdict.UNKNOWN, "an HTTP endpoint");
    }
    if (d.splunkDestinationDescription() != null) {
      return new Fit(Verdict.UNKNOWN, "Splunk");
    }
    if (d.icebergDestinationDescription() != null) {
      return new Fit(Verdict.UNKNOWN, "Apache Iceberg tables");
    }
    return new Fit(Verdict.UNKNOWN, "an unrecognised destination");
  }

  /** Objects are the records concatenated, unless a feature reads each record on the way there. */
  private static Fit ofS3(ExtendedS3DestinationDescription s3) {
    if (s3.dataFormatConversionConfiguration() != null
        && Boolean.TRUE.equals(s3.dataFormatConversionConfiguration().enabled())) {
      return new Fit(Verdict.UNKNOWN, "S3 with record format conversion");
    }
    if (s3.dynamicPartitioningConfiguration() != null
        && Boolean.TRUE.equals(s3.dynamicPartitioningConfiguration().enabled())) {
      // it splits records only with multi-record deaggregation on, and then at most 500 objects a record
      return new Fit(Verdict.UNKNOWN, "S3 with dynamic partitioning");
    }
    ProcessingConfiguration processing = s3.processingConfiguration();
    if (processing != null && Boolean.TRUE.equals(processing.enabled()) && processing.processors().stream()
        .anyMatch(processor -> processor.type() == ProcessorType.LAMBDA)) {
      return new Fit(Verdict.UNKNOWN, "S3 with a transformation Lambda");
    }
    return new Fit(Verdict.SUITED, "S3");
  }
}
