package io.gameevents.node;

import io.gameevents.cluster.ClusterView;
import io.gameevents.config.AppConfig;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.LongSupplier;

/**
 * What every stage of a node shares, built once by the composition root ({@code MainVerticle}) and handed to each
 * stage inside its own context ({@code HttpVerticle.Context}, {@code DeliveryVerticle.Context}, ...): a stage
 * takes what it needs from here instead of a list of positional arguments.
 *
 * @param config              the node's configuration, read and validated once at start-up
 * @param registry            where the stages' meters go (each node of an in-process test cluster has its own)
 * @param view                the cluster as this node sees it (a one-node view when not clustered)
 * @param drainDeadlineMillis when draining must end (epoch millis); {@link Long#MAX_VALUE} until shutdown starts
 * @param rateClock           nanos for the rate-limit buckets: {@link System#nanoTime}, or a test's own clock
 */
public record NodeContext(AppConfig config, MeterRegistry registry, ClusterView view, LongSupplier drainDeadlineMillis,
                          LongSupplier rateClock) {

  /** This node's id in the cluster: the suffix of its stages' own addresses. */
  public String nodeId() {
    return view.selfId();
  }
}
