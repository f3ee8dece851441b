package io.infracast.api.compliance;

import java.util.List;
import java.util.Optional;

/**
 * The filters and order of a findings list; every value is bound as a statement parameter.
 *
 * @param framework findings assessing a control of this framework (any of the rule's controls)
 * @param severities any of these (empty: all)
 * @param statuses any of these (empty: all)
 * @param resourceTypes findings on nodes of any of these types (empty: all)
 * @param controlId findings assessing this control id (any of the rule's controls)
 * @param search a case-insensitive substring of the title, rule id, node id or node name, taken literally
 * @param sort one of {@link ComplianceService#SORT_FIELDS}
 */
public record FindingFilter(
    Optional<String> framework,
    List<Severity> severities,
    List<String> statuses,
    List<String> resourceTypes,
    Optional<String> controlId,
    Optional<String> search,
    String sort,
    boolean descending) {}
