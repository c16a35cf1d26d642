package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One compiled (sub)schema of the validation fast path ({@link FastSchemaCompiler}). {@code passes} is true
 * only when networknt would certainly report no error for the node against that schema; false means "don't
 * know", never "invalid": the caller then asks networknt, which gives the errors and their messages.
 * So a check may be stricter than the schema (that only costs speed), never laxer.
 */
@FunctionalInterface
interface FastCheck {

  FastCheck ALWAYS = node -> true;
  FastCheck NEVER = node -> false;

  boolean passes(JsonNode node);

  /** All of {@code checks}; a plain array loop because this runs for every field of every event. */
  static FastCheck allOf(List<FastCheck> checks) {
    if (checks.isEmpty()) {
      return ALWAYS;
    }
    if (checks.size() == 1) {
      return checks.get(0);
    }
    FastCheck[] all = checks.toArray(new FastCheck[0]);
    return node -> {
      for (FastCheck check : all) {
        if (!check.passes(node)) {
          return false;
        }
      }
      return true;
    };
  }
}
