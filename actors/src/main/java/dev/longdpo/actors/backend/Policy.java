package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.StepSample;
import java.util.List;

/**
 * Samples search steps. Implementations keep each node's key/value state under its key so that a
 * node's children continue from their parent's cache; they need not be thread-safe (one search
 * node calls one policy from one thread at a time).
 */
public interface Policy extends AutoCloseable {

  /** Samples each job's steps; all jobs may be decoded as one batch. Results are in job order. */
  List<List<StepSample>> expand(List<ExpandJob> jobs);

  /** Drops every cached state of a finished tree. */
  void forget(String treeId);

  /** Work counters. */
  PolicyStats stats();

  @Override
  default void close() {}
}
