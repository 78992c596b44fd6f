package dev.llmgateway.report.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What reading the usage files met: counts, and the first places of each kind of bad line. */
public final class Diagnostics {

  /** How many places of each kind of bad line are kept for the report. */
  public static final int PLACES_KEPT = 20;

  final List<Path> files = new ArrayList<>();
  long lines;
  long callRecords;
  long duplicateCalls;
  long feedbackRecords;
  long outsidePeriod;
  long otherRecords;
  long invalidLines;
  final List<String> invalidPlaces = new ArrayList<>();
  long overlongLines;
  final List<String> overlongPlaces = new ArrayList<>();
  final List<Path> tornFiles = new ArrayList<>();

  void invalid(Path file, long line, String why) {
    invalidLines++;
    if (invalidPlaces.size() < PLACES_KEPT) {
      invalidPlaces.add(file + ":" + line + " (" + why + ")");
    }
  }

  void overlong(Path file, long line) {
    overlongLines++;
    if (overlongPlaces.size() < PLACES_KEPT) {
      overlongPlaces.add(file + ":" + line);
    }
  }

  public List<Path> files() {
    return files;
  }

  public long lines() {
    return lines;
  }

  public long callRecords() {
    return callRecords;
  }

  public long duplicateCalls() {
    return duplicateCalls;
  }

  public long feedbackRecords() {
    return feedbackRecords;
  }

  public long outsidePeriod() {
    return outsidePeriod;
  }

  public long otherRecords() {
    return otherRecords;
  }

  public long invalidLines() {
    return invalidLines;
  }

  public List<String> invalidPlaces() {
    return invalidPlaces;
  }

  public long overlongLines() {
    return overlongLines;
  }

  public List<String> overlongPlaces() {
    return overlongPlaces;
  }

  public List<Path> tornFiles() {
    return tornFiles;
  }
}
