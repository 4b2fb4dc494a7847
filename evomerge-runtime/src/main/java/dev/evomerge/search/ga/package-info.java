/**
 * Genetic search on Jenetics 9, driven ask/tell ({@link dev.evomerge.search.ga.GeneticSearch}), and the genome
 * encoding and variation operators it shares with NSGA-II: indicator genes (data-flow slots) and bounded real genes.
 */
package dev.evomerge.search.ga;
