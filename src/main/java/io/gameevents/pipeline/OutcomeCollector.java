package io.gameevents.pipeline;

import io.vertx.core.eventbus.Message;

/** Collects the outcomes of one incoming {@link EventBatch} and replies once the last one is known. */
public final class OutcomeCollector {

  private final Message<EventBatch> message;
  private final Outcomes outcomes;
  private int pending;

  public OutcomeCollector(Message<EventBatch> message) {
    this.message = message;
    this.pending = message.body().size();
    this.outcomes = Outcomes.of(pending);
  }

  public void complete(int index, Outcome outcome) {
    outcomes.set(index, outcome);
    if (--pending == 0) {
      message.reply(outcomes);
    }
  }
}
