package io.gameevents.http.validation;

import io.gameevents.pipeline.PipelineEvent;

import java.util.List;

/** The outcome of {@link EventValidator#validate}: an event ready for the pipeline, or why it was refused. */
public sealed interface Validation {

  /** The event passed; {@code event.record()} holds the warehouse record. */
  record Valid(PipelineEvent event) implements Validation {
  }

  /**
   * The event was refused.
   *
   * @param status 400 for a malformed or invalid event, 404 for an unknown event type or schema version
   * @param title  short, fixed summary (problem+json {@code title})
   * @param detail one sentence about this event (problem+json {@code detail})
   * @param errors every field that is wrong (all of them, not just the first); never null
   */
  record Invalid(int status, String title, String detail, List<FieldError> errors) implements Validation {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }
}
