package dev.llmgateway.report;

import dev.llmgateway.report.internal.Diagnostics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading the usage files met: the files, the records, and the lines skipped. Skipped lines
 * never fail a report; {@link #messages()} says what was skipped and where. Immutable and
 * thread-safe.
 */
public final class ReadSummary {

  private final List<Path> files;
  private final long lines;
  private final long callRecords;
  private final long duplicateCalls;
  private final long feedbackRecords;
  private final long outsidePeriod;
  private final long otherRecords;
  private final long invalidLines;
  private final List<String> invalidPlaces;
  private final long overlongLines;
  private final List<String> overlongPlaces;
  private final List<Path> tornFiles;
  private final int maxLineBytes;

  ReadSummary(Diagnostics d, int maxLineBytes) {
    this.files = List.copyOf(d.files());
    this.lines = d.lines();
    this.callRecords = d.callRecords();
    this.duplicateCalls = d.duplicateCalls();
    this.feedbackRecords = d.feedbackRecords();
    this.outsidePeriod = d.outsidePeriod();
    this.otherRecords = d.otherRecords();
    this.invalidLines = d.invalidLines();
    this.invalidPlaces = List.copyOf(d.invalidPlaces());
    this.overlongLines = d.overlongLines();
    this.overlongPlaces = List.copyOf(d.overlongPlaces());
    this.tornFiles = List.copyOf(d.tornFiles());
    this.maxLineBytes = maxLineBytes;
  }

  /** The files read, in order. */
  public List<Path> files() {
    return files;
  }

  /** Lines read, skipped ones included. */
  public long lines() {
    return lines;
  }

  /** Valid call records read, inside the period or not, duplicates included. */
  public long callRecords() {
    return callRecords;
  }

  /**
   * Call records whose call id was already read in the period: delivery is at least once (a
   * replayed dead letter may repeat a record), so each call id counts once, the first read.
   */
  public long duplicateCalls() {
    return duplicateCalls;
  }

  /** Valid feedback records read. */
  public long feedbackRecords() {
    return feedbackRecords;
  }

  /** Call records outside the report's period. */
  public long outsidePeriod() {
    return outsidePeriod;
  }

  /** Records of a type this report does not use (neither call nor feedback), ignored. */
  public long otherRecords() {
    return otherRecords;
  }

  /** Lines skipped as invalid: not JSON, not an object, or missing what a record needs. */
  public long invalidLines() {
    return invalidLines;
  }

  /** The first invalid lines as {@code file:line (why)}, at most 20. */
  public List<String> invalidPlaces() {
    return invalidPlaces;
  }

  /** Lines skipped for being longer than the line limit. */
  public long overlongLines() {
    return overlongLines;
  }

  /** The first overlong lines as {@code file:line}, at most 20. */
  public List<String> overlongPlaces() {
    return overlongPlaces;
  }

  /**
   * Files whose last line was torn (no final newline and not valid JSON: the writer died
   * mid-write); that one line of each was skipped.
   */
  public List<Path> tornFiles() {
    return tornFiles;
  }

  /** One sentence per kind of skipped line, naming where; empty when nothing was skipped. */
  public List<String> messages() {
    List<String> messages = new ArrayList<>();
    for (Path file : tornFiles) {
      messages.add("skipped 1 torn line at the end of " + file);
    }
    if (invalidLines > 0) {
      messages.add("skipped " + invalidLines + " invalid line" + (invalidLines == 1 ? "" : "s")
          + ": " + String.join(", ", invalidPlaces)
          + (invalidLines > invalidPlaces.size() ? ", ..." : ""));
    }
    if (overlongLines > 0) {
      messages.add("skipped " + overlongLines + " line" + (overlongLines == 1 ? "" : "s")
          + " longer than " + maxLineBytes + " bytes: " + String.join(", ", overlongPlaces)
          + (overlongLines > overlongPlaces.size() ? ", ..." : ""));
    }
    return messages;
  }

  @Override
  public String toString() {
    return "ReadSummary[" + files.size() + " files, " + lines + " lines, " + callRecords
        + " call records, " + messages() + "]";
  }
}
