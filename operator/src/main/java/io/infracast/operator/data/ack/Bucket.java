package io.infracast.operator.data.ack;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * ACK's S3 Bucket, typed by its group, version and kind only: spec and status stay maps with ACK's field names
 * (see {@link AckBucket}). A typed kind needs no API discovery to be named, so the operator can prepare its
 * informer while the cluster does not serve the kind yet; an untyped one fails right there. Not one of the
 * operator's CRDs: the build generates only InfracastInstallation's.
 */
@Group(AckBucket.GROUP)
@Version(AckBucket.VERSION)
@Kind(AckBucket.KIND)
@Plural("buckets")
public class Bucket extends CustomResource<Map<String, Object>, Map<String, Object>> implements Namespaced {
}
