package io.infracast.plugin.kubernetes;

/**
 * The Kubernetes kinds the plugin discovers: each one's node type, where it is listed and whether it lives in a
 * namespace. The one place node types are defined; {@code api-server/plugins/README.md} lists them with their
 * properties. A node's id is {@code k8s:<cluster>:<type>:<namespace>/<name>}, or {@code k8s:<cluster>:<type>:<name>}
 * for cluster-wide kinds (namespaces, cluster roles and their bindings).
 */
enum K8sKind {
  NAMESPACE("k8s.namespace", "/api/v1", "namespaces", false),
  DEPLOYMENT("k8s.deployment", "/apis/apps/v1", "deployments", true),
  STATEFULSET("k8s.statefulset", "/apis/apps/v1", "statefulsets", true),
  DAEMONSET("k8s.daemonset", "/apis/apps/v1", "daemonsets", true),
  SERVICE("k8s.service", "/api/v1", "services", true),
  INGRESS("k8s.ingress", "/apis/networking.k8s.io/v1", "ingresses", true),
  SECRET("k8s.secret", "/api/v1", "secrets", true),
  SERVICE_ACCOUNT("k8s.serviceaccount", "/api/v1", "serviceaccounts", true),
  ROLE("k8s.role", "/apis/rbac.authorization.k8s.io/v1", "roles", true),
  CLUSTER_ROLE("k8s.clusterrole", "/apis/rbac.authorization.k8s.io/v1", "clusterroles", false),
  ROLE_BINDING("k8s.rolebinding", "/apis/rbac.authorization.k8s.io/v1", "rolebindings", true),
  CLUSTER_ROLE_BINDING("k8s.clusterrolebinding", "/apis/rbac.authorization.k8s.io/v1", "clusterrolebindings",
      false);

  static final String PROVIDER = "k8s";

  final String type;
  final String group;
  final String resource;
  final boolean namespaced;

  K8sKind(String type, String group, String resource, boolean namespaced) {
    this.type = type;
    this.group = group;
    this.resource = resource;
    this.namespaced = namespaced;
  }

  boolean workload() {
    return this == DEPLOYMENT || this == STATEFULSET || this == DAEMONSET;
  }

  /** The list path: in one namespace, or across all (and for cluster-wide kinds) when {@code namespace} is null. */
  String listPath(String namespace) {
    return group + (namespace == null || !namespaced ? "" : "/namespaces/" + namespace) + "/" + resource;
  }

  /** The node id of an object of this kind; {@code namespace} is ignored for cluster-wide kinds. */
  String id(String cluster, String namespace, String name) {
    return PROVIDER + ":" + cluster + ":" + type + ":" + (namespaced ? namespace + "/" : "") + name;
  }
}
