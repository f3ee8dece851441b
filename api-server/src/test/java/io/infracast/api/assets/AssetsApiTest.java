package io.infracast.api.assets;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.TestApi.error;
import static io.infracast.api.TestApi.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The asset graph API in-process against a real PostgreSQL 15: nodes and edges, bulk ingest, filters, sorting and
 * both kinds of paging, limits, bad input, tenant isolation on every route, hostile filter values, and row-level
 * security on the new tables. (Who may call which route: IdentityApiTest walks the whole permission table.)
 */
class AssetsApiTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "assets-password-1";
  private static final String EC2 = "aws:us-east-1:aws.ec2.instance:";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static TestApi api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    api = TestApi.start(pg, "assets-test-secret-0123456789-abcdefghijkl", ADMIN, PASSWORD);
    admin = api.login(ADMIN, PASSWORD).get("access_token").asText();
    api.createTenants(admin, "acme", "globex", "crud", "lists", "limits", "counts");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  // Nodes and edges, one at a time and in bulk

  @Test
  void nodesAndEdgesAreCreatedReadUpsertedAndAudited() throws Exception {
    HttpResponse<String> created = post("crud", "nodes", node("i-1", Map.of("name", "web-1", "account_id", "111",
        "properties", Map.of("state", "running", "cpu", 2), "tags", Map.of("env", "prod"))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode node = JSON.readTree(created.body());
    assertThat(node.get("id").asText()).isEqualTo(EC2 + "i-1");
    assertThat(node.get("provider").asText()).isEqualTo("aws");
    assertThat(node.get("region").asText()).isEqualTo("us-east-1");
    assertThat(node.get("type").asText()).isEqualTo("aws.ec2.instance");
    assertThat(node.get("properties").get("cpu").asInt()).isEqualTo(2);
    assertThat(node.get("discovered_at").asText()).isNotEmpty();
    assertThat(JSON.readTree(get("crud", "nodes/" + enc(EC2 + "i-1")).body())).isEqualTo(node);
    assertThat(error(post("crud", "nodes", node("i-1", Map.of())))).isEqualTo("CONFLICT");
    String arn = "aws:us-east-1:aws.iam.role:arn:aws:iam::111:role/service/deployer";
    assertThat(post("crud", "nodes", Map.of("id", arn)).statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(get("crud", "nodes/" + enc(arn)).body()).get("id").asText())
        .as("':' and '/' in a resource id, percent-encoded in the path").isEqualTo(arn);

    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      batch.add(node("i-" + i, Map.of("name", "web-" + i + "-v2")));
    }
    batch.add(node("i-5", Map.of("name", "web-5-v3")));
    JsonNode upserted = JSON.readTree(post("crud", "nodes/bulk", Map.of("nodes", batch)).body());
    assertThat(upserted.toString()).isEqualTo("{\"received\":5,\"created\":4,\"updated\":1}");
    assertThat(JSON.readTree(get("crud", "nodes/" + enc(EC2 + "i-5")).body()).get("name").asText())
        .as("a later duplicate in one request wins").isEqualTo("web-5-v3");

    JsonNode query = JSON.readTree(post("crud", "nodes/query", Map.of("ids", List.of(EC2 + "i-3", "nope", EC2 + "i-1")))
        .body());
    assertThat(query.get("items").findValuesAsText("id")).containsExactly(EC2 + "i-3", EC2 + "i-1");
    assertThat(query.get("not_found").get(0).asText()).isEqualTo("nope");

    HttpResponse<String> edge = post("crud", "edges", Map.of("source_id", EC2 + "i-1", "target_id", EC2 + "i-2",
        "type", "depends_on", "properties", Map.of("port", 443)));
    assertThat(edge.statusCode()).as(edge.body()).isEqualTo(201);
    assertThat(JSON.readTree(edge.body()).get("id").asText()).hasSize(36);
    assertThat(error(post("crud", "edges", Map.of("source_id", EC2 + "i-1", "target_id", EC2 + "i-2",
        "type", "depends_on")))).isEqualTo("CONFLICT");
    HttpResponse<String> dangling = post("crud", "edges", Map.of("source_id", EC2 + "i-1", "target_id", "gone",
        "type", "depends_on"));
    assertThat(dangling.statusCode()).isEqualTo(404);
    assertThat(message(dangling)).isEqualTo("node not found: gone");

    JsonNode bulkEdges = JSON.readTree(post("crud", "edges/bulk", Map.of("edges", List.of(
        Map.of("source_id", EC2 + "i-3", "target_id", EC2 + "i-1", "type", "routes_to"),
        Map.of("source_id", EC2 + "i-1", "target_id", EC2 + "i-2", "type", "depends_on", "properties",
            Map.of("port", 8443))))).body());
    assertThat(bulkEdges.toString()).isEqualTo("{\"received\":2,\"created\":1,\"updated\":1}");

    JsonNode both = JSON.readTree(get("crud", "nodes/" + enc(EC2 + "i-1") + "/neighbors").body());
    assertThat(both.get("total").asInt()).isEqualTo(2);
    Map<String, String> byDirection = new LinkedHashMap<>();
    both.get("items").forEach(n -> byDirection.put(n.get("direction").asText(), n.get("node").get("id").asText()));
    assertThat(byDirection).containsEntry("out", EC2 + "i-2").containsEntry("in", EC2 + "i-3");
    JsonNode out = JSON.readTree(get("crud", "nodes/" + enc(EC2 + "i-1") + "/neighbors?direction=out").body());
    assertThat(out.get("items").get(0).get("edge").get("properties").get("port").asInt()).isEqualTo(8443);
    assertThat(JSON.readTree(get("crud", "nodes/" + enc(EC2 + "i-1") + "/neighbors?type=routes_to").body())
        .get("total").asInt()).isEqualTo(1);

    JsonNode summary = JSON.readTree(get("crud", "graph/summary").body());
    assertThat(summary.get("nodes").asInt()).isEqualTo(6);
    assertThat(summary.get("edges").asInt()).isEqualTo(2);
    assertThat(summary.get("nodes_by_type").get("aws.ec2.instance").asInt()).isEqualTo(5);
    assertThat(summary.get("nodes_by_type").get("aws.iam.role").asInt()).isEqualTo(1);
    assertThat(summary.get("edges_by_type").get("routes_to").asInt()).isEqualTo(1);

    JsonNode log = JSON.readTree(get("crud", "audit-log?per_page=500").body());
    assertThat(log.get("items").findValuesAsText("action"))
        .contains("node.created", "nodes.upserted", "edge.created", "edges.upserted");
  }

  @Test
  void aBulkEdgeRequestNamingAMissingNodeWritesNothing() throws Exception {
    post("acme", "nodes", node("lonely", Map.of()));
    HttpResponse<String> r = post("acme", "edges/bulk", Map.of("edges", List.of(
        Map.of("source_id", EC2 + "lonely", "target_id", EC2 + "lonely", "type", "member_of"),
        Map.of("source_id", EC2 + "lonely", "target_id", "missing-1", "type", "member_of"))));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).get("error").get("details").get("missing").get(0).asText())
        .isEqualTo("missing-1");
    assertThat(get("acme", "edges?source_id=" + enc(EC2 + "lonely")).body()).contains("\"items\":[]");
  }

  // Lists

  @Test
  void nodeListsFilterSortAndPage() throws Exception {
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String region = i % 2 == 0 ? "us-east-1" : "eu-west-1";
      String type = i % 3 == 0 ? "aws.s3.bucket" : "aws.ec2.instance";
      nodes.add(Map.of("id", "aws:" + region + ":" + type + ":r" + i, "name", "res_" + i + (i == 7 ? "%off" : ""),
          "account_id", i < 6 ? "111" : "222", "tags", Map.of("env", i % 4 == 0 ? "prod" : "dev", "n", "" + i)));
    }
    assertThat(post("lists", "nodes/bulk", Map.of("nodes", nodes)).statusCode()).isEqualTo(200);

    assertThat(ids("nodes?types=aws.s3.bucket")).containsExactlyInAnyOrder(id(0), id(3), id(6), id(9));
    assertThat(ids("nodes?types=aws.s3.bucket,aws.ec2.instance&per_page=500")).hasSize(12);
    assertThat(ids("nodes?region=eu-west-1&account_id=222")).containsExactlyInAnyOrder(id(7), id(9), id(11));
    assertThat(ids("nodes?tags=env%3Dprod")).containsExactlyInAnyOrder(id(0), id(4), id(8));
    assertThat(ids("nodes?tags=env%3Dprod&tags=n%3D4")).containsExactly(id(4));
    assertThat(ids("nodes?search=" + enc("%off"))).as("% is a literal character").containsExactly(id(7));
    assertThat(ids("nodes?search=RES_1")).as("case-insensitive").containsExactlyInAnyOrder(id(1), id(10), id(11));
    assertThat(ids("nodes?search=s_")).as("_ is literal too").hasSize(12);
    assertThat(ids("nodes?search=e_1")).isEmpty();

    JsonNode page = JSON.readTree(get("lists", "nodes?sort=-name&per_page=5&page=2").body());
    assertThat(page.get("total").asInt()).isEqualTo(12);
    assertThat(page.get("total_pages").asInt()).isEqualTo(3);
    assertThat(page.get("page").asInt()).isEqualTo(2);
    assertThat(page.get("per_page").asInt()).isEqualTo(5);
    List<String> allByName = ids("nodes?sort=-name&per_page=500").stream().toList();
    assertThat(page.get("items").findValuesAsText("id")).isEqualTo(allByName.subList(5, 10));
    List<String> names = JSON.readTree(get("lists", "nodes?sort=name&per_page=500").body()).get("items")
        .findValuesAsText("name");
    assertThat(names).isSorted();
    assertThat(ids("nodes?sort=-name&per_page=500")).isEqualTo(reversed(ids("nodes?sort=name&per_page=500")));
  }

  /** Totals of type/provider/region/account lists come from counts kept by triggers (V7): they must stay exact. */
  @Test
  void listTotalsStayExactThroughCreatesUpsertsAndTenantDeletion() throws Exception {
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      nodes.add(Map.of("id", id(i), "name", "n" + i, "account_id", i < 3 ? "111" : "222"));
    }
    nodes.add(Map.of("id", "aws:us-east-1:aws.ec2.instance:no-account"));
    assertThat(post("counts", "nodes/bulk", Map.of("nodes", nodes)).statusCode()).isEqualTo(200);
    List<String> filters = List.of("", "region=eu-west-1", "account_id=111", "account_id=222",
        "types=aws.s3.bucket,aws.ec2.instance&region=us-east-1", "provider=aws&types=aws.s3.bucket", "region=nowhere");
    assertThat(totals(filters)).containsExactly(7, 3, 3, 3, 4, 2, 0);

    // Re-ingesting moves two nodes to another account and leaves the rest as they were; a create adds one.
    nodes.set(1, Map.of("id", id(1), "account_id", "222"));
    nodes.set(2, Map.of("id", id(2), "account_id", "222"));
    assertThat(post("counts", "nodes/bulk", Map.of("nodes", nodes)).statusCode()).isEqualTo(200);
    assertThat(post("counts", "nodes", Map.of("id", id(6), "account_id", "111")).statusCode()).isEqualTo(201);
    assertThat(post("counts", "nodes", Map.of("id", id(6))).statusCode()).isEqualTo(409);
    assertThat(totals(filters)).containsExactly(8, 3, 2, 5, 5, 3, 0);

    assertThat(api.call("DELETE", "/api/v1/tenants/counts", admin, null).statusCode()).isEqualTo(204);
    try (Connection c = pg.connect(api.databaseName()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from node_counts n where not exists"
            + " (select 1 from tenants t where t.id = n.tenant_id)")) {
      rs.next();
      assertThat(rs.getInt(1)).as("counts of a deleted tenant").isZero();
    }
  }

  /** The total of each node list (query strings), checked against the items of one page of them all. */
  private static List<Integer> totals(List<String> filters) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (String filter : filters) {
      JsonNode page = JSON.readTree(get("counts", "nodes?per_page=500&" + filter).body());
      assertThat(page.get("items").size()).as(filter).isEqualTo(page.get("total").asInt());
      out.add(page.get("total").asInt());
    }
    return out;
  }

  @Test
  void edgeCursorsNeitherRepeatNorSkipWhileEdgesAreAdded() throws Exception {
    List<Map<String, Object>> nodes = new ArrayList<>();
    IntStream.range(0, 30).forEach(i -> nodes.add(node("hub-" + i, Map.of())));
    post("acme", "nodes/bulk", Map.of("nodes", nodes));
    List<Map<String, Object>> edges = new ArrayList<>();
    IntStream.range(1, 21).forEach(i -> edges.add(edgeBody("hub-0", "hub-" + i, "contains")));
    post("acme", "edges/bulk", Map.of("edges", edges));
    Set<String> before = new HashSet<>(JSON.readTree(get("acme", "edges?limit=500").body()).get("items")
        .findValuesAsText("id"));
    assertThat(before).hasSize(20);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int added = 21;
    do {
      JsonNode page = JSON.readTree(get("acme", "edges?limit=3&source_id=" + enc(EC2 + "hub-0")
          + (cursor == null ? "" : "&cursor=" + cursor)).body());
      assertThat(page.get("limit").asInt()).isEqualTo(3);
      seen.addAll(page.get("items").findValuesAsText("id"));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      if (added < 30) {
        // New edges between pages land anywhere in id order: the pages still to come must not shift.
        post("acme", "edges", edgeBody("hub-0", "hub-" + added++, "contains"));
      }
    } while (cursor != null);
    assertThat(seen).doesNotHaveDuplicates().containsAll(before);
    assertThat(ids("edges?type=contains&target_id=" + enc(EC2 + "hub-5"), "acme")).hasSize(1);
  }

  // Limits and bad input: each a specific 4xx, never a 500

  @Test
  void limitsAndBadInputAreSpecific4xx() throws Exception {
    HttpResponse<String> tooBig = get("limits", "nodes?per_page=501");
    assertThat(message(tooBig)).isEqualTo("per_page must be a whole number from 1 to 500");
    assertThat(reason(tooBig)).isEqualTo("page_size_exceeded");
    assertThat(reason(get("limits", "edges?limit=501"))).isEqualTo("page_size_exceeded");
    assertThat(reason(get("limits", "edges?limit=abc"))).isEqualTo("not_a_number");
    assertThat(reason(get("limits", "nodes?sort=password"))).isEqualTo("unknown_sort_field");
    assertThat(message(get("limits", "nodes?sort=-password"))).startsWith("cannot sort by 'password': sort by one of");
    assertThat(reason(get("limits", "edges?cursor=bm90LWEtdXVpZA"))).isEqualTo("invalid_cursor");
    assertThat(message(get("limits", "edges?type=owns"))).startsWith("edge type must be one of");
    assertThat(message(get("limits", "nodes/x/neighbors?direction=up"))).isEqualTo("direction must be out, in or both");
    assertThat(message(get("limits", "nodes?tags=novalue"))).isEqualTo("tags must be key=value, got 'novalue'");

    String path = "/api/v1/tenants/limits/nodes";
    assertThat(message(api.send("POST", path, admin, "{\"id\": "))).isEqualTo("request body is not valid JSON");
    assertThat(message(api.send("POST", path, admin, "[]"))).isEqualTo("request body must be a JSON object");
    assertThat(message(post("limits", "nodes", Map.of("name", "x")))).isEqualTo("field 'id' is required");
    assertThat(message(post("limits", "nodes", Map.of("id", 5)))).isEqualTo("field 'id' must be a string");
    assertThat(message(post("limits", "nodes", Map.of("id", "i-1")))).startsWith(
        "field 'id' must be <provider>:<region>:<type>:<resource-id>");
    assertThat(message(post("limits", "nodes", node("a", Map.of("region", "eu-west-1")))))
        .isEqualTo("field 'region' is 'eu-west-1' but the id says 'us-east-1'");
    assertThat(message(post("limits", "nodes", node("a", Map.of("properties", List.of(1))))))
        .isEqualTo("field 'properties' must be an object");
    assertThat(message(post("limits", "nodes", node("a", Map.of("tags", Map.of("n", 1))))))
        .isEqualTo("field 'tags.n' must be a string");
    assertThat(message(post("limits", "nodes", node("a", Map.of("discovered_at", "yesterday")))))
        .startsWith("field 'discovered_at' must be an ISO-8601 time");
    assertThat(message(post("limits", "nodes", node("a", Map.of("owner", "x"))))).startsWith("unknown field 'owner'");
    assertThat(message(post("limits", "nodes", node("a", Map.of("name", "a\u0000b")))))
        .isEqualTo("text must not contain the NUL character (\\u0000)");
    assertThat(message(post("limits", "nodes", node("a", Map.of("properties", Map.of("k", "\u0000"))))))
        .isEqualTo("text must not contain the NUL character (\\u0000)");
    assertThat(message(post("limits", "nodes/bulk", Map.of("nodes", List.of(node("a", Map.of()), Map.of("id", 1))))))
        .isEqualTo("field 'nodes[1].id' must be a string");
    assertThat(message(post("limits", "nodes/bulk", Map.of("nodes", List.of())))).isEqualTo(
        "field 'nodes' must hold 1 to 5000 elements, got 0");
    List<Map<String, Object>> tooMany = new ArrayList<>();
    IntStream.range(0, 5001).forEach(i -> tooMany.add(Map.of("id", "a:b:c:" + i)));
    assertThat(reason(post("limits", "nodes/bulk", Map.of("nodes", tooMany)))).isEqualTo("too_many_items");
    assertThat(message(post("limits", "nodes/query", Map.of("ids", List.of(1))))).isEqualTo(
        "field 'ids' must be an array of strings");
    assertThat(message(post("limits", "edges", Map.of("source_id", "a", "target_id", "b", "type", "owns"))))
        .startsWith("edge type must be one of");
    assertThat(message(post("limits", "edges", Map.of("source_id", "a", "type", "contains"))))
        .isEqualTo("field 'target_id' is required");

    HttpResponse<String> huge = api.send("POST", path + "/bulk", admin,
        "{\"nodes\":[{\"id\":\"a:b:c:d\",\"name\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}]}");
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(error(huge)).isEqualTo("BAD_REQUEST");
    assertThat(get("limits", "graph/summary").body()).contains("\"nodes\":0");
  }

  // Tenant isolation

  @Test
  void aTenantNeverReachesAnotherTenantsGraph() throws Exception {
    post("globex", "nodes/bulk", Map.of("nodes", List.of(node("secret-1", Map.of("name", "globex-secret")),
        node("secret-2", Map.of("name", "globex-secret")))));
    post("globex", "edges", edgeBody("secret-1", "secret-2", "encrypted_by"));
    String globexEdge = JSON.readTree(get("globex", "edges").body()).get("items").get(0).get("id").asText();
    post("acme", "nodes", node("mine", Map.of()));
    api.call("POST", "/api/v1/tenants/acme/users", admin, Map.of("email", "admin@acme.test", "password", PASSWORD,
        "role", "tenant-admin"));
    String acmeUser = api.login("admin@acme.test", PASSWORD).get("access_token").asText();
    String acmeKey = JSON.readTree(api.call("POST", "/api/v1/tenants/acme/api-keys", acmeUser,
        Map.of("name", "ingest", "role", "tenant-admin")).body()).get("key").asText();
    String secret = enc(EC2 + "secret-1");

    for (String credential : List.of(acmeUser, acmeKey)) {
      for (String[] req : new String[][] {
          {"GET", "nodes"}, {"POST", "nodes"}, {"POST", "nodes/bulk"}, {"POST", "nodes/query"},
          {"GET", "nodes/" + secret}, {"GET", "nodes/" + secret + "/neighbors"}, {"GET", "edges"},
          {"POST", "edges"}, {"POST", "edges/bulk"}, {"GET", "graph/summary"}}) {
        HttpResponse<String> r = api.call(req[0], "/api/v1/tenants/globex/" + req[1], credential,
            req[0].equals("POST") ? Map.of() : null);
        assertThat(r.statusCode()).as(String.join(" ", req)).isEqualTo(404);
        assertThat(message(r)).isEqualTo("tenant globex not found");
      }
      // Globex's ids inside acme's own paths: exactly as if they did not exist.
      String acme = "/api/v1/tenants/acme/";
      HttpResponse<String> foreignNode = api.call("GET", acme + "nodes/" + secret, credential, null);
      assertThat(foreignNode.statusCode()).isEqualTo(404);
      assertThat(message(foreignNode)).isEqualTo("node " + EC2 + "secret-1 not found");
      assertThat(api.call("GET", acme + "nodes/" + secret + "/neighbors", credential, null).statusCode())
          .isEqualTo(404);
      assertThat(JSON.readTree(api.call("POST", acme + "nodes/query", credential,
          Map.of("ids", List.of(EC2 + "secret-1"))).body()).get("items")).isEmpty();
      assertThat(api.call("GET", acme + "edges?source_id=" + secret, credential, null).body())
          .contains("\"items\":[]");
      assertThat(api.call("POST", acme + "edges", credential, edgeBody("mine", "secret-1", "depends_on"))
          .statusCode()).isEqualTo(404);
      assertThat(api.call("POST", acme + "edges/bulk", credential,
          Map.of("edges", List.of(edgeBody("secret-1", "secret-2", "contains")))).statusCode()).isEqualTo(404);
      assertThat(api.call("GET", acme + "nodes?search=globex&per_page=500", credential, null).body())
          .contains("\"total\":0");
      assertThat(api.call("GET", acme + "edges?limit=500", credential, null).body()).doesNotContain(globexEdge);
    }
    // The same id in two tenants is two nodes: acme creating "secret-1" does not touch globex's.
    assertThat(api.call("POST", "/api/v1/tenants/acme/nodes", acmeKey, node("secret-1", Map.of("name", "acme's")))
        .statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(get("globex", "nodes/" + secret).body()).get("name").asText()).isEqualTo("globex-secret");
    assertThat(JSON.readTree(get("globex", "graph/summary").body()).get("nodes").asInt()).isEqualTo(2);
  }

  @Test
  void hostileFilterAndSortValuesAreNeverA5xxNorReachAnotherTenant() throws Exception {
    post("globex", "nodes", node("canary", Map.of("name", "globex-canary", "tags", Map.of("k", "v"))));
    post("acme", "nodes", node("acme-1", Map.of("name", "acme-1")));
    List<String> payloads = List.of("' OR 1=1 --", "\"; DROP TABLE nodes; --", "%", "_", "\\", "\\'", "*",
        "') or ('a'='a", "1; select pg_sleep(5)", "\u0000", "☃", "{\"k\":\"v\"}", "k=v' or '1'='1", "-id; --");
    List<String> failures = new ArrayList<>();
    for (String p : payloads) {
      String v = enc(p);
      for (String path : List.of("nodes?types=" + v, "nodes?provider=" + v, "nodes?region=" + v,
          "nodes?account_id=" + v, "nodes?search=" + v, "nodes?tags=" + v, "nodes?tags=k%3D" + v,
          "nodes?sort=" + v, "nodes?sort=-" + v, "nodes?page=" + v, "nodes?per_page=" + v,
          "edges?source_id=" + v, "edges?target_id=" + v, "edges?type=" + v, "edges?cursor=" + v,
          "edges?limit=" + v, "nodes/" + v, "nodes/" + v + "/neighbors", "nodes/" + enc(EC2 + "acme-1")
              + "/neighbors?type=" + v + "&direction=" + v)) {
        HttpResponse<String> r = get("acme", path);
        if (r.statusCode() >= 500 || r.body().contains("canary")) {
          failures.add(path + " -> " + r.statusCode() + " " + r.body());
        }
      }
      HttpResponse<String> q = post("acme", "nodes/query", Map.of("ids", List.of(p, EC2 + "canary")));
      if (q.statusCode() >= 500 || q.body().contains("globex-canary")) {
        failures.add("query " + p + " -> " + q.statusCode() + " " + q.body());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(JSON.readTree(get("globex", "graph/summary").body()).get("nodes").asInt()).isPositive();
  }

  @Test
  void theTenantRoleSeesNoGraphRowsWithoutATenant() throws Exception {
    post("globex", "nodes", node("rls", Map.of()));
    try (Connection c = pg.connect(api.databaseName()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("select set_config('role', infracast_tenant_role(), true)");
      for (String table : List.of("nodes", "edges")) {
        try (ResultSet rs = st.executeQuery("select count(*) from " + table)) {
          rs.next();
          assertThat(rs.getInt(1)).as(table + " without a tenant").isZero();
        }
      }
      c.rollback();
    }
  }

  // Helpers

  private static Map<String, Object> node(String resource, Map<String, Object> fields) {
    Map<String, Object> body = new LinkedHashMap<>(fields);
    body.put("id", EC2 + resource);
    return body;
  }

  private static Map<String, Object> edgeBody(String source, String target, String type) {
    return Map.of("source_id", EC2 + source, "target_id", EC2 + target, "type", type);
  }

  private static String id(int i) {
    String region = i % 2 == 0 ? "us-east-1" : "eu-west-1";
    return "aws:" + region + ":" + (i % 3 == 0 ? "aws.s3.bucket" : "aws.ec2.instance") + ":r" + i;
  }

  private static List<String> ids(String path) throws Exception {
    return ids(path, "lists");
  }

  private static List<String> ids(String path, String tenant) throws Exception {
    HttpResponse<String> r = get(tenant, path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("items").findValuesAsText("id");
  }

  private static List<String> reversed(List<String> list) {
    List<String> out = new ArrayList<>(list);
    java.util.Collections.reverse(out);
    return out;
  }

  private static HttpResponse<String> get(String tenant, String path) throws Exception {
    return api.call("GET", "/api/v1/tenants/" + tenant + "/" + path, admin, null);
  }

  private static HttpResponse<String> post(String tenant, String path, Object body) throws Exception {
    return api.call("POST", "/api/v1/tenants/" + tenant + "/" + path, admin, body);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String reason(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    return JSON.readTree(r.body()).get("error").get("details").get("reason").asText();
  }
}
