package io.infracast.api.platform.security;

import static io.infracast.api.platform.security.Role.AUDITOR;
import static io.infracast.api.platform.security.Role.READ_ONLY;
import static io.infracast.api.platform.security.Role.SECURITY_ANALYST;
import static io.infracast.api.platform.security.Role.SYSTEM_ADMIN;
import static io.infracast.api.platform.security.Role.TENANT_ADMIN;

import io.infracast.api.platform.http.ApiModule;
import io.javalin.http.HandlerType;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The permission table: every authenticated endpoint with the roles allowed to call it. Routes are registered only
 * through {@link SecuredRoutes#add}, which takes the method and path from here, so no endpoint exists without its
 * row. The README shows this table ({@link #markdownTable()}; a test keeps them equal).
 *
 * <p>Tenant routes ({@code {tenant}} in the path) check the caller's role in that tenant. Global routes are open
 * either to every caller or to system admins only.
 */
public enum Permission {
  ME(HandlerType.GET, "/me", all()),
  TENANTS_LIST(HandlerType.GET, "/tenants", all()),
  TENANTS_CREATE(HandlerType.POST, "/tenants", EnumSet.of(SYSTEM_ADMIN)),
  TENANT_GET(HandlerType.GET, "/tenants/{tenant}", all()),
  TENANT_DELETE(HandlerType.DELETE, "/tenants/{tenant}", EnumSet.of(SYSTEM_ADMIN)),
  USERS_LIST(HandlerType.GET, "/tenants/{tenant}/users", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  USERS_ADD(HandlerType.POST, "/tenants/{tenant}/users", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  USER_SET_ROLE(HandlerType.PATCH, "/tenants/{tenant}/users/{user_id}", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  USER_REMOVE(HandlerType.DELETE, "/tenants/{tenant}/users/{user_id}", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  API_KEYS_LIST(HandlerType.GET, "/tenants/{tenant}/api-keys", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  API_KEYS_CREATE(HandlerType.POST, "/tenants/{tenant}/api-keys", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  API_KEY_REVOKE(HandlerType.DELETE, "/tenants/{tenant}/api-keys/{key_id}", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  AUDIT_LOG_LIST(HandlerType.GET, "/tenants/{tenant}/audit-log", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN, AUDITOR)),
  NODES_LIST(HandlerType.GET, "/tenants/{tenant}/nodes", graphReaders()),
  NODES_CREATE(HandlerType.POST, "/tenants/{tenant}/nodes", graphWriters()),
  NODES_BULK_UPSERT(HandlerType.POST, "/tenants/{tenant}/nodes/bulk", graphWriters()),
  NODES_QUERY(HandlerType.POST, "/tenants/{tenant}/nodes/query", graphReaders()),
  NODE_GET(HandlerType.GET, "/tenants/{tenant}/nodes/{node_id}", graphReaders()),
  NODE_NEIGHBORS(HandlerType.GET, "/tenants/{tenant}/nodes/{node_id}/neighbors", graphReaders()),
  EDGES_LIST(HandlerType.GET, "/tenants/{tenant}/edges", graphReaders()),
  EDGES_CREATE(HandlerType.POST, "/tenants/{tenant}/edges", graphWriters()),
  EDGES_BULK_UPSERT(HandlerType.POST, "/tenants/{tenant}/edges/bulk", graphWriters()),
  GRAPH_SUMMARY(HandlerType.GET, "/tenants/{tenant}/graph/summary", graphReaders()),
  JOBS_LIST(HandlerType.GET, "/tenants/{tenant}/jobs", all()),
  JOBS_CREATE(HandlerType.POST, "/tenants/{tenant}/jobs", jobRunners()),
  JOB_GET(HandlerType.GET, "/tenants/{tenant}/jobs/{job_id}", all()),
  JOB_CANCEL(HandlerType.DELETE, "/tenants/{tenant}/jobs/{job_id}", jobRunners()),
  JOB_STREAM(HandlerType.GET, "/tenants/{tenant}/jobs/{job_id}/stream", all()),
  CREDENTIALS_LIST(HandlerType.GET, "/tenants/{tenant}/credentials", jobRunners()),
  CREDENTIALS_CREATE(HandlerType.POST, "/tenants/{tenant}/credentials", EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  CREDENTIAL_GET(HandlerType.GET, "/tenants/{tenant}/credentials/{credential_id}", jobRunners()),
  CREDENTIAL_DELETE(HandlerType.DELETE, "/tenants/{tenant}/credentials/{credential_id}",
      EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN)),
  SCHEDULES_LIST(HandlerType.GET, "/tenants/{tenant}/schedules", all()),
  SCHEDULES_CREATE(HandlerType.POST, "/tenants/{tenant}/schedules", jobRunners()),
  SCHEDULE_GET(HandlerType.GET, "/tenants/{tenant}/schedules/{schedule_id}", all()),
  SCHEDULE_REPLACE(HandlerType.PUT, "/tenants/{tenant}/schedules/{schedule_id}", jobRunners()),
  SCHEDULE_DELETE(HandlerType.DELETE, "/tenants/{tenant}/schedules/{schedule_id}", jobRunners()),
  FINDINGS_LIST(HandlerType.GET, "/tenants/{tenant}/findings", findingReaders()),
  FINDINGS_RUN(HandlerType.POST, "/tenants/{tenant}/findings/run", findingManagers()),
  FINDING_GET(HandlerType.GET, "/tenants/{tenant}/findings/{finding_id}", findingReaders()),
  FINDING_ACCEPT(HandlerType.POST, "/tenants/{tenant}/findings/{finding_id}/accept", findingManagers()),
  FINDING_RESOLVE(HandlerType.POST, "/tenants/{tenant}/findings/{finding_id}/resolve", findingManagers()),
  EVIDENCE_LIST(HandlerType.GET, "/tenants/{tenant}/evidence", evidenceReaders()),
  EVIDENCE_BUNDLE(HandlerType.GET, "/tenants/{tenant}/evidence/bundle", evidenceReaders()),
  EVIDENCE_GET(HandlerType.GET, "/tenants/{tenant}/evidence/{evidence_id}", evidenceReaders()),
  INTEGRATIONS_LIST(HandlerType.GET, "/tenants/{tenant}/integrations", integrationAdmins()),
  INTEGRATIONS_CREATE(HandlerType.POST, "/tenants/{tenant}/integrations", integrationAdmins()),
  INTEGRATION_GET(HandlerType.GET, "/tenants/{tenant}/integrations/{integration_id}", integrationAdmins()),
  INTEGRATION_DELETE(HandlerType.DELETE, "/tenants/{tenant}/integrations/{integration_id}", integrationAdmins()),
  INTEGRATION_DELIVERIES(HandlerType.GET, "/tenants/{tenant}/integrations/{integration_id}/deliveries",
      integrationAdmins());

  private final HandlerType method;
  private final String path;
  private final Set<Role> allowed;

  Permission(HandlerType method, String relativePath, Set<Role> allowed) {
    this.method = method;
    this.path = ApiModule.PREFIX + relativePath;
    this.allowed = Set.copyOf(allowed);
  }

  private static Set<Role> all() {
    return EnumSet.allOf(Role.class);
  }

  /** The product brief: security analysts "read graph", read-only users "read nodes and edges"; auditors read
   * findings and the audit log, not the graph. */
  private static Set<Role> graphReaders() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN, SECURITY_ANALYST, READ_ONLY);
  }

  /** Writing the graph (ingest outside a discovery job) is administration of the tenant's data. */
  private static Set<Role> graphWriters() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN);
  }

  /** The product brief: auditors "read findings"; read-only users read nodes and edges only. */
  private static Set<Role> findingReaders() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN, SECURITY_ANALYST, AUDITOR);
  }

  /**
   * The product brief: security analysts "run discovery jobs", tenant admins do everything in a tenant. Every role
   * may follow jobs: auditors judge the evidence a job produced, read-only users see where the graph comes from.
   * Job runners also run jobs on schedules and with credentials, whose metadata (never the secret) they read to pick
   * one; only tenant admins store and delete credentials.
   */
  private static Set<Role> jobRunners() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN, SECURITY_ANALYST);
  }

  /** Security analysts and tenant admins "manage findings": evaluate now, accept, resolve. */
  private static Set<Role> findingManagers() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN, SECURITY_ANALYST);
  }

  /**
   * Evidence is what auditors and tenant admins hand over; security analysts read it too. Read-only users read
   * the graph only. (Verifying evidence needs no role: {@code POST /reports/verify} is public.)
   */
  private static Set<Role> evidenceReaders() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN, AUDITOR, SECURITY_ANALYST);
  }

  /**
   * Webhooks send the tenant's data out of the service, and their URLs may hold a receiver's token: tenant admins
   * set them up and read them.
   */
  private static Set<Role> integrationAdmins() {
    return EnumSet.of(SYSTEM_ADMIN, TENANT_ADMIN);
  }

  public HandlerType method() {
    return method;
  }

  /** The route template, {@code /api/v1/tenants/{tenant}/...}. */
  public String path() {
    return path;
  }

  public boolean tenantScoped() {
    return path.contains("{tenant}");
  }

  public boolean allows(Role role) {
    return allowed.contains(role);
  }

  /**
   * Whether a caller may use a global route: system admins where the table allows them, anyone else where the
   * route is open to every role.
   */
  boolean allowsGlobally(Caller caller) {
    return caller.systemAdmin() ? allows(SYSTEM_ADMIN) : allowed.containsAll(all());
  }

  /** The table as Markdown, one row per endpoint, one column per role. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder("| endpoint |");
    for (Role r : Role.values()) {
      b.append(' ').append(r.wire()).append(" |");
    }
    b.append("\n|---|").append("---|".repeat(Role.values().length)).append('\n');
    for (Permission p : values()) {
      b.append("| `").append(p.method.name()).append(' ').append(p.path).append("` |");
      b.append(EnumSet.allOf(Role.class).stream().map(r -> p.allows(r) ? " yes |" : " no |")
          .collect(Collectors.joining()));
      b.append('\n');
    }
    return b.toString();
  }

  static {
    // A global route cannot tell tenant roles apart (the caller names no tenant): open to all, or to system admins.
    for (Permission p : values()) {
      if (!p.tenantScoped() && !p.allowed.equals(all()) && !p.allowed.equals(EnumSet.of(SYSTEM_ADMIN))) {
        throw new ExceptionInInitializerError(p + ": a global route is open to every role or to system-admin only");
      }
    }
  }
}
