package io.infracast.api.discovery;

import java.time.Instant;

/**
 * One line of a job's log.
 *
 * @param seq its position: lines of one job are in increasing {@code seq} order (not consecutive)
 * @param level {@code info}, {@code warn} or {@code error}
 * @param source {@code worker}, a plugin's name, or {@code <plugin>:stderr}
 */
public record JobLogLine(long seq, Instant at, String level, String source, String message) {}
