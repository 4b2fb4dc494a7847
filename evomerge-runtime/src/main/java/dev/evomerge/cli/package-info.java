/** The picocli commands of the {@code evomerge} command line. Top layer, beside the root facade. */
package dev.evomerge.cli;
