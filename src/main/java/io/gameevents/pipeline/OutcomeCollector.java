package io.gameevents.pipeline;

import io.vertx.core.eventbus.Message;

import java.util.function.Consumer;

/** Collects the outcomes of one incoming {@link EventBatch} and hands them on once the last one is known. */
public final class OutcomeCollector {

  private final Outcomes outcomes;
  private final Consumer<Outcomes> whenComplete;
  private int pending;

  /** Replies the outcomes themselves to {@code message}. */
  public OutcomeCollector(Message<EventBatch> message) {
    this(message.body().size(), message::reply);
  }

  /** For a stage whose reply wraps the outcomes: {@code whenComplete} gets them once, when the last is set. */
  public OutcomeCollector(int size, Consumer<Outcomes> whenComplete) {
    this.pending = size;
    this.outcomes = Outcomes.of(size);
    this.whenComplete = whenComplete;
  }

  public void complete(int index, Outcome outcome) {
    outcomes.set(index, outcome);
    if (--pending == 0) {
      whenComplete.accept(outcomes);
    }
  }
}
