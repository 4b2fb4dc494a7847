/**
 * Multi-objective search: NSGA-II on Jenetics' {@code jenetics.ext} ({@link dev.evomerge.search.nsga2.Nsga2Search})
 * with a Pareto archive of every non-dominated solution evaluated.
 */
package dev.evomerge.search.nsga2;
