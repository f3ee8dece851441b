package io.infracast.api.platform.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * List paging of the API: {@code page} (from 1) and {@code per_page} (default 50, at most 500), answered as
 * {@code {"items":[...],"total":N,"page":P,"per_page":K,"total_pages":T}}.
 */
public record Page(int page, int perPage) {
  public static final int DEFAULT_PER_PAGE = 50;
  public static final int MAX_PER_PAGE = 500;

  public static Page of(Context ctx) {
    return new Page(number(ctx, "page", 1, Integer.MAX_VALUE, 1), number(ctx, "per_page", 1, MAX_PER_PAGE,
        DEFAULT_PER_PAGE));
  }

  public int offset() {
    return (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * perPage);
  }

  /** The response body for this page of a list of {@code total} items. */
  public Map<String, Object> body(List<?> items, long total) {
    return Map.of("items", items, "total", total, "page", page, "per_page", perPage,
        "total_pages", (total + perPage - 1) / perPage);
  }

  private static int number(Context ctx, String name, int min, int max, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max,
        Map.of("parameter", name));
  }
}
