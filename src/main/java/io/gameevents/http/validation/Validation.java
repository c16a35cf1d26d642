package io.gameevents.http.validation;

import io.gameevents.http.problem.Reason;
import io.gameevents.pipeline.PipelineEvent;

import java.util.List;

/** The outcome of {@link EventValidator#validate}: an event ready for the pipeline, or why it was refused. */
public sealed interface Validation {

  /**
   * The event passed; {@code event.record()} holds the warehouse record.
   *
   * @param eventType the type it was checked as (one of {@code validation.event_types}): what the operator tools
   *                  count it under, handed on so they need not look it up in the event again
   */
  record Valid(PipelineEvent event, String eventType) implements Validation {
  }

  /**
   * The event was refused.
   *
   * @param reason why, which decides the answer's status, type and title
   * @param detail one sentence about this event (problem+json {@code detail})
   * @param errors every field that is wrong (all of them, not just the first); never null
   * @param schemaVersion the schema version the event was checked against, or null when it was refused before
   *                      one was chosen (a kept refusal records it)
   */
  record Invalid(Reason reason, String detail, List<FieldError> errors, Integer schemaVersion) implements Validation {
    public Invalid {
      errors = List.copyOf(errors);
    }

    /** Refused before a schema version was chosen. */
    public Invalid(Reason reason, String detail, List<FieldError> errors) {
      this(reason, detail, errors, null);
    }

    public int status() {
      return reason.status();
    }

    public String title() {
      return reason.title();
    }
  }
}
