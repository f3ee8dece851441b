package io.infracast.api.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parameterised statements in one line each; values are always bound, never spliced into SQL. */
public final class Sql {
  /** Maps the current row. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Sql() {}

  public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
    try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.map(rs));
      }
      return out;
    }
  }

  public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
    List<T> rows = list(c, sql, row, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it touched. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement st = prepare(c, sql, params)) {
      return st.executeUpdate();
    }
  }

  /**
   * One page of a filtered list, and how many rows match in all: {@code select <columns> from <from><where>
   * order by <sortColumn> <dir>, <tieColumn> <dir> limit ? offset ?}, {@code params} binding {@code where}'s
   * placeholders.
   *
   * @param sortColumn a column the caller took from its fixed whitelist (null: not in it, a bug)
   */
  public static <T> Map.Entry<List<T>, Long> page(Connection c, String columns, String from, CharSequence where,
      List<Object> params, String sortColumn, String tieColumn, boolean descending, Row<T> row, int limit,
      int offset) throws SQLException {
    return page(c, columns, from, "select count(*) from " + from, where, params, sortColumn, tieColumn, descending,
        row, limit, offset);
  }

  /**
   * As {@link #page(Connection, String, String, CharSequence, List, String, String, boolean, Row, int, int)}, the
   * total being {@code <counted><where>} (a query returning one number, e.g. a sum over kept counts) instead.
   */
  public static <T> Map.Entry<List<T>, Long> page(Connection c, String columns, String from, String counted,
      CharSequence where, List<Object> params, String sortColumn, String tieColumn, boolean descending, Row<T> row,
      int limit, int offset) throws SQLException {
    if (sortColumn == null) {
      throw new IllegalArgumentException("sort field not in the whitelist");
    }
    long total = one(c, counted + where, rs -> rs.getLong(1), params.toArray()).orElse(0L);
    List<Object> paged = new ArrayList<>(params);
    paged.add(limit);
    paged.add(offset);
    String direction = descending ? " desc" : " asc";
    List<T> items = list(c, "select " + columns + " from " + from + where + " order by " + sortColumn + direction
        + ", " + tieColumn + direction + " limit ? offset ?", row, paged.toArray());
    return Map.entry(items, total);
  }

  /**
   * An ILIKE pattern for text containing {@code literal}, in which {@code %}, {@code _} and backslashes are
   * literal.
   */
  public static String containing(String literal) {
    return "%" + literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement st = c.prepareStatement(sql);
    try {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        st.setObject(i + 1, p instanceof Instant t ? Timestamp.from(t) : p);
      }
      return st;
    } catch (SQLException e) {
      st.close();
      throw e;
    }
  }
}
