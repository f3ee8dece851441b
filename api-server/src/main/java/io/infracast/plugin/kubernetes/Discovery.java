package io.infracast.plugin.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the cluster's objects and turns them into the asset graph's nodes and edges. Kinds the API server refuses
 * (RBAC) are skipped with a warning; the run fails only when nothing at all could be read.
 */
final class Discovery {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Namespaced kinds in the order they are read; service accounts come before the workloads that use them. */
  private static final List<K8sKind> NAMESPACED = List.of(K8sKind.SERVICE_ACCOUNT, K8sKind.SECRET,
      K8sKind.DEPLOYMENT, K8sKind.STATEFULSET, K8sKind.DAEMONSET, K8sKind.SERVICE, K8sKind.INGRESS, K8sKind.ROLE,
      K8sKind.ROLE_BINDING);

  /** Where the plugin's output goes. */
  interface Sink {
    void node(ObjectNode node);

    void edge(String source, String target, String type);

    void log(String level, String message);
  }

  private final KubeApi api;
  private final String cluster;
  /** The namespaces to read; null for all the API server lets the plugin list. */
  private final List<String> namespaces;
  private final Sink sink;
  private final Map<String, ObjectNode> nodes = new LinkedHashMap<>();
  /** The raw objects of each kind, for the edges between them. */
  private final Map<K8sKind, List<JsonNode>> objects = new LinkedHashMap<>();
  private int refused;
  private int read;

  Discovery(KubeApi api, String cluster, List<String> namespaces, Sink sink) {
    this.api = api;
    this.cluster = cluster;
    this.namespaces = namespaces;
    this.sink = sink;
  }

  /** Reads everything, emits the nodes, then the edges whose both ends were emitted. */
  void run() throws IOException, InterruptedException {
    readNamespaces();
    for (K8sKind kind : NAMESPACED) {
      if (namespaces == null) {
        read(kind, null);
      } else {
        for (String ns : namespaces) {
          read(kind, ns);
        }
      }
    }
    read(K8sKind.CLUSTER_ROLE, null);
    read(K8sKind.CLUSTER_ROLE_BINDING, null);
    if (read == 0) {
      throw new IllegalStateException("the API server refused every list the plugin needs (" + refused
          + " refused): see the warnings and grant the ClusterRole in api-server/plugins/README.md");
    }
    nodes.values().forEach(sink::node);
    edges();
    sink.log("info", "discovered " + nodes.size() + " Kubernetes objects in cluster " + cluster
        + (refused > 0 ? " (" + refused + " lists refused)" : ""));
  }

  private void readNamespaces() throws IOException, InterruptedException {
    if (namespaces == null) {
      read(K8sKind.NAMESPACE, null);
      return;
    }
    for (String ns : namespaces) {
      try {
        add(K8sKind.NAMESPACE, api.get("/api/v1/namespaces/" + ns));
        read++;
      } catch (KubeApi.Refused e) {
        refusedList(e);
      }
    }
  }

  private void read(K8sKind kind, String namespace) throws IOException, InterruptedException {
    try {
      List<JsonNode> items = kind == K8sKind.SECRET ? api.tableRows(kind.listPath(namespace))
          : api.list(kind.listPath(namespace));
      read++;
      for (JsonNode item : items) {
        add(kind, item);
      }
    } catch (KubeApi.Refused e) {
      refusedList(e);
    }
  }

  private void refusedList(KubeApi.Refused e) {
    refused++;
    sink.log("warn", "skipped: " + e.getMessage());
  }

  private void add(K8sKind kind, JsonNode object) {
    JsonNode meta = kind == K8sKind.SECRET ? object.path("object").path("metadata") : object.path("metadata");
    String ns = meta.path("namespace").asText(null);
    String name = meta.path("name").asText();
    ObjectNode node = F.objectNode();
    node.put("id", kind.id(cluster, ns, name));
    node.put("type", kind.type);
    node.put("provider", K8sKind.PROVIDER);
    node.put("region", cluster);
    node.put("account_id", cluster);
    node.put("name", name);
    ObjectNode props = node.putObject("properties");
    if (kind.namespaced) {
      props.put("namespace", ns);
    }
    props.put("uid", meta.path("uid").asText());
    props.put("created_at", meta.path("creationTimestamp").asText());
    ObjectNode tags = node.putObject("tags");
    meta.path("labels").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    describe(kind, object, props);
    nodes.put(node.get("id").asText(), node);
    objects.computeIfAbsent(kind, k -> new ArrayList<>()).add(object);
  }

  private void describe(K8sKind kind, JsonNode o, ObjectNode props) {
    JsonNode spec = o.path("spec");
    switch (kind) {
      case NAMESPACE -> {
        JsonNode labels = o.path("metadata").path("labels");
        for (String mode : new String[] {"enforce", "audit", "warn"}) {
          JsonNode level = labels.path("pod-security.kubernetes.io/" + mode);
          if (!level.isMissingNode()) {
            props.put("pod_security_" + mode, level.asText());
          }
        }
        props.put("phase", o.path("status").path("phase").asText());
      }
      case DEPLOYMENT, STATEFULSET, DAEMONSET -> {
        if (spec.has("replicas")) {
          props.put("replicas", spec.get("replicas").asInt());
        }
        props.set("selector", spec.path("selector").path("matchLabels").deepCopy());
        String ns = o.path("metadata").path("namespace").asText();
        String sa = spec.path("template").path("spec").path("serviceAccountName").asText("default");
        ObjectNode saNode = nodes.get(K8sKind.SERVICE_ACCOUNT.id(cluster, ns, sa));
        PodSpecs.describe(spec.path("template"), props,
            saNode == null ? null : saNode.path("properties").get("automount_service_account_token"));
      }
      case SERVICE -> {
        props.put("service_type", spec.path("type").asText("ClusterIP"));
        props.put("cluster_ip", spec.path("clusterIP").asText(null));
        ArrayNode ports = props.putArray("ports");
        for (JsonNode p : spec.path("ports")) {
          ObjectNode port = ports.addObject();
          port.put("name", p.path("name").asText(null));
          port.put("protocol", p.path("protocol").asText("TCP"));
          port.put("port", p.path("port").asInt());
          port.set("target_port", p.path("targetPort").deepCopy());
          if (p.has("nodePort")) {
            port.put("node_port", p.get("nodePort").asInt());
          }
        }
        props.set("selector", spec.path("selector").isObject() ? spec.get("selector").deepCopy() : F.objectNode());
        props.set("load_balancer_source_ranges", strings(spec.path("loadBalancerSourceRanges")));
        props.set("external_ips", strings(spec.path("externalIPs")));
        props.put("external_traffic_policy", spec.path("externalTrafficPolicy").asText(null));
      }
      case INGRESS -> {
        Set<String> hosts = new TreeSet<>();
        spec.path("rules").forEach(r -> hosts.add(r.path("host").asText("*")));
        Set<String> tlsHosts = new TreeSet<>();
        spec.path("tls").forEach(t -> t.path("hosts").forEach(h -> tlsHosts.add(h.asText())));
        props.set("hosts", strings(hosts));
        props.set("tls_hosts", strings(tlsHosts));
        props.put("tls", spec.path("tls").size() > 0);
        props.put("ingress_class", spec.path("ingressClassName").asText(
            o.path("metadata").path("annotations").path("kubernetes.io/ingress.class").asText(null)));
        props.set("backend_services", strings(ingressBackends(spec)));
      }
      case SECRET -> {
        // Metadata only (see KubeApi.tableRows): the type and key count from the Table's cells, the key names
        // from the field ownership records (managedFields), which name fields, never values.
        props.put("secret_type", o.path("columns").path("Type").asText());
        props.put("key_count", o.path("columns").path("Data").asInt());
        Set<String> keys = new TreeSet<>();
        for (JsonNode managed : o.path("object").path("metadata").path("managedFields")) {
          for (String field : new String[] {"f:data", "f:stringData"}) {
            // Keys are "f:<key>"; "." stands for the map itself.
            managed.path("fieldsV1").path(field).fieldNames().forEachRemaining(k -> {
              if (k.startsWith("f:")) {
                keys.add(k.substring(2));
              }
            });
          }
        }
        props.set("keys", strings(keys));
        props.set("annotation_keys", strings(fieldNames(o.path("object").path("metadata").path("annotations"))));
      }
      case SERVICE_ACCOUNT -> {
        JsonNode automount = o.path("automountServiceAccountToken");
        props.put("automount_service_account_token", automount.isMissingNode() || automount.asBoolean());
        Set<String> pull = new TreeSet<>();
        o.path("imagePullSecrets").forEach(s -> pull.add(s.path("name").asText()));
        props.set("image_pull_secrets", strings(pull));
      }
      case ROLE, CLUSTER_ROLE -> {
        ArrayNode rules = props.putArray("rules");
        for (JsonNode r : o.path("rules")) {
          ObjectNode rule = rules.addObject();
          rule.set("api_groups", strings(r.path("apiGroups")));
          rule.set("resources", strings(r.path("resources")));
          rule.set("verbs", strings(r.path("verbs")));
          rule.set("resource_names", strings(r.path("resourceNames")));
          rule.set("non_resource_urls", strings(r.path("nonResourceURLs")));
        }
        props.put("aggregated", o.has("aggregationRule"));
      }
      case ROLE_BINDING, CLUSTER_ROLE_BINDING -> {
        ObjectNode ref = props.putObject("role_ref");
        ref.put("kind", o.path("roleRef").path("kind").asText());
        ref.put("name", o.path("roleRef").path("name").asText());
        ArrayNode subjects = props.putArray("subjects");
        for (JsonNode s : o.path("subjects")) {
          ObjectNode subject = subjects.addObject();
          subject.put("kind", s.path("kind").asText());
          subject.put("name", s.path("name").asText());
          subject.put("namespace", s.path("namespace").asText(null));
        }
      }
      default -> throw new IllegalStateException("no description for " + kind);
    }
  }

  private void edges() {
    Map<K8sKind, List<JsonNode>> o = objects;
    for (Map.Entry<K8sKind, List<JsonNode>> e : o.entrySet()) {
      K8sKind kind = e.getKey();
      for (JsonNode object : e.getValue()) {
        JsonNode meta = kind == K8sKind.SECRET ? object.path("object").path("metadata") : object.path("metadata");
        String ns = meta.path("namespace").asText(null);
        String id = kind.id(cluster, ns, meta.path("name").asText());
        if (kind.namespaced) {
          edge(K8sKind.NAMESPACE.id(cluster, null, ns), id, "contains");
        }
        if (kind.workload()) {
          JsonNode props = nodes.get(id).path("properties");
          edge(id, K8sKind.SERVICE_ACCOUNT.id(cluster, ns, props.path("service_account_name").asText()),
              "executes_as");
          props.path("secrets_referenced").forEach(s -> edge(id, K8sKind.SECRET.id(cluster, ns, s.asText()),
              "depends_on"));
        }
        if (kind == K8sKind.SERVICE) {
          JsonNode selector = object.path("spec").path("selector");
          for (K8sKind workload : List.of(K8sKind.DEPLOYMENT, K8sKind.STATEFULSET, K8sKind.DAEMONSET)) {
            for (JsonNode w : o.getOrDefault(workload, List.of())) {
              if (ns.equals(w.path("metadata").path("namespace").asText())
                  && selects(selector, w.path("spec").path("template").path("metadata").path("labels"))) {
                edge(id, workload.id(cluster, ns, w.path("metadata").path("name").asText()), "routes_to");
              }
            }
          }
        }
        if (kind == K8sKind.INGRESS) {
          ingressBackends(object.path("spec")).forEach(s -> edge(id, K8sKind.SERVICE.id(cluster, ns, s),
              "routes_to"));
        }
        if (kind == K8sKind.ROLE_BINDING || kind == K8sKind.CLUSTER_ROLE_BINDING) {
          JsonNode ref = object.path("roleRef");
          K8sKind role = ref.path("kind").asText().equals("Role") ? K8sKind.ROLE : K8sKind.CLUSTER_ROLE;
          edge(id, role.id(cluster, ns, ref.path("name").asText()), "depends_on");
          for (JsonNode s : object.path("subjects")) {
            if (s.path("kind").asText().equals("ServiceAccount")) {
              edge(K8sKind.SERVICE_ACCOUNT.id(cluster, s.path("namespace").asText(ns), s.path("name").asText()), id,
                  "member_of");
            }
          }
        }
      }
    }
  }

  /** Emits an edge when both its ends were discovered (a dangling edge would fail the whole ingest). */
  private void edge(String source, String target, String type) {
    if (nodes.containsKey(source) && nodes.containsKey(target)) {
      sink.edge(source, target, type);
    }
  }

  /** A Service selector selects pods with every one of its labels; an empty one selects none (no endpoints). */
  private static boolean selects(JsonNode selector, JsonNode labels) {
    if (!selector.isObject() || selector.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : selector.properties()) {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> ingressBackends(JsonNode spec) {
    Set<String> services = new TreeSet<>();
    JsonNode fallback = spec.path("defaultBackend").path("service").path("name");
    if (fallback.isTextual()) {
      services.add(fallback.asText());
    }
    for (JsonNode rule : spec.path("rules")) {
      for (JsonNode path : rule.path("http").path("paths")) {
        JsonNode service = path.path("backend").path("service").path("name");
        if (service.isTextual()) {
          services.add(service.asText());
        }
      }
    }
    return services;
  }

  private static ArrayNode strings(JsonNode array) {
    ArrayNode out = F.arrayNode();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static ArrayNode strings(Set<String> values) {
    ArrayNode out = F.arrayNode();
    values.forEach(out::add);
    return out;
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
