package io.infracast.api.assets;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The filters and order of a node list. Every value is bound as a statement parameter; {@code sort} is one of
 * {@link AssetsService#NODE_SORT_FIELDS} (checked when the filter is made).
 *
 * @param types any of these types (empty: all)
 * @param search a case-insensitive substring of the id or the name, taken literally ({@code %} and {@code _} too)
 * @param tags every one of these tags, with these values
 */
public record NodeFilter(
    List<String> types,
    Optional<String> provider,
    Optional<String> region,
    Optional<String> accountId,
    Optional<String> search,
    Map<String, String> tags,
    String sort,
    boolean descending) {}
