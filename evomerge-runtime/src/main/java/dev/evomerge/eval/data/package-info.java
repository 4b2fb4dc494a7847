/**
 * Local datasets for tasks: {@link dev.evomerge.eval.data.Dataset} (a file, a folder of split files, or explicit
 * files per split) of records read by {@link dev.evomerge.eval.data.Records} from JSON, JSON Lines or CSV. Nothing is
 * downloaded.
 */
package dev.evomerge.eval.data;
