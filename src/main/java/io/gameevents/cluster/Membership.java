package io.gameevents.cluster;

import java.util.List;

/**
 * What the dedup stage's partition ownership needs to know of the cluster: the proven members and their roles,
 * whether a node is a member right now, and the key entries are proven with. {@link ClusterView} in the service;
 * a scripted one in the ownership tests.
 */
public interface Membership {

  String selfId();

  /** Members whose roles are proven and that are not draining, sorted by node id. */
  List<ClusterView.Node> nodes();

  /** Whether a node is a cluster member right now (not from a cached list). */
  boolean isMember(String nodeId);

  /** Called on every change of {@link #nodes()}, on the membership's context. */
  void onChange(Runnable listener);

  ClusterKey key();

  UnprovenEntries unproven();
}
