package io.infracast.operator.data.ack;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/** ACK's RDS DBSubnetGroup, typed by group, version and kind only, as {@link Bucket} is (see {@link AckRds}). */
@Group(AckRds.GROUP)
@Version(AckRds.VERSION)
@Kind("DBSubnetGroup")
@Plural("dbsubnetgroups")
public class DBSubnetGroup extends CustomResource<Map<String, Object>, Map<String, Object>> implements Namespaced {
}
