package io.gameevents.debugger;

import java.util.EnumSet;
import java.util.Set;

/**
 * A stream's query filters: {@code app_id}, {@code event_type} and {@code status} (each one value, or several
 * separated by commas); a filter left out matches everything.
 */
record Filter(Set<String> appIds, Set<String> eventTypes, EnumSet<Status> statuses) {

  /** @throws IllegalArgumentException naming the unknown status word */
  static Filter parse(String appIds, String eventTypes, String statuses) {
    EnumSet<Status> wanted = EnumSet.noneOf(Status.class);
    for (String word : words(statuses)) {
      Status status = Status.ofWire(word);
      if (status == null) {
        throw new IllegalArgumentException("status \"" + word + "\" is not one of accepted, duplicate, rejected, "
            + "unavailable, rate_limited");
      }
      wanted.add(status);
    }
    return new Filter(words(appIds), words(eventTypes), wanted.isEmpty() ? EnumSet.allOf(Status.class) : wanted);
  }

  boolean matches(Entry entry) {
    return statuses.contains(entry.status)
        && (appIds.isEmpty() || appIds.contains(entry.appId()))
        && (eventTypes.isEmpty() || eventTypes.contains(entry.eventType));
  }

  private static Set<String> words(String list) {
    if (list == null || list.isBlank()) {
      return Set.of();
    }
    return Set.copyOf(java.util.Arrays.stream(list.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList());
  }
}
