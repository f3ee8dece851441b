package io.infracast.api.evidence;

import java.util.Optional;

/** The filters of an evidence list (exact matches); every value is bound as a statement parameter. */
public record EvidenceFilter(Optional<String> framework, Optional<String> controlId, Optional<ControlResult> result) {}
