package io.infracast.api.platform.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * List paging of the API: {@code page} (from 1) and {@code per_page} (default 50, at most 500), answered as
 * {@code {"items":[...],"total":N,"page":P,"per_page":K,"total_pages":T}}. A page size over the maximum is a 400
 * with {@code details.reason: page_size_exceeded}, whether it is {@code per_page} or a cursor list's {@code limit}.
 */
public record Page(int page, int perPage) {
  public static final int DEFAULT_PER_PAGE = 50;
  public static final int MAX_PER_PAGE = 500;

  public static Page of(Context ctx) {
    return new Page(number(ctx, "page", Integer.MAX_VALUE, 1), size(ctx, "per_page"));
  }

  /** A page size parameter ({@code per_page}, {@code limit}): 1 to {@link #MAX_PER_PAGE}, default 50. */
  public static int size(Context ctx, String name) {
    return number(ctx, name, MAX_PER_PAGE, DEFAULT_PER_PAGE);
  }

  public int offset() {
    return (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * perPage);
  }

  /** The response body for this page of a list of {@code total} items. */
  public Map<String, Object> body(List<?> items, long total) {
    return Map.of("items", items, "total", total, "page", page, "per_page", perPage,
        "total_pages", (total + perPage - 1) / perPage);
  }

  private static int number(Context ctx, String name, int max, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return fallback;
    }
    String reason = "not_a_number";
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
      reason = n > max ? "page_size_exceeded" : "below_minimum";
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be a whole number from 1 to " + max,
        Map.of("parameter", name, "reason", reason, "max", max));
  }
}
