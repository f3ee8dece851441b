package io.infracast.api.identity;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.infracast.api.audit.AuditService;
import io.infracast.api.identity.internal.IdentityRepository;
import io.infracast.api.identity.internal.PasswordHasher;
import io.infracast.api.identity.internal.Sessions;
import io.infracast.api.platform.config.AppConfig;
import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Caller;
import io.infracast.api.platform.security.TenantAccess;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity domain's door: authenticates requests for every domain (it is the kernel's {@link Authenticator})
 * and creates the first system admin.
 */
public final class IdentityService implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(IdentityService.class);
  /** Transaction-level advisory lock key for bootstrap ("ifc-boot"), so two replicas create one admin. */
  private static final long BOOTSTRAP_LOCK = 0x6966632d626f6f74L;
  public static final String DEFAULT_ADMIN_EMAIL = "admin@infracast.local";

  private final Transactions transactions;
  private final Sessions sessions;

  IdentityService(Transactions transactions, Sessions sessions) {
    this.transactions = transactions;
    this.sessions = sessions;
  }

  @Override
  public Caller authenticate(String credential) {
    return sessions.authenticate(credential);
  }

  @Override
  public Optional<TenantAccess> access(Caller caller, String tenantSlug) {
    return transactions.acrossTenants(c -> switch (caller.kind()) {
      case API_KEY -> IdentityRepository.keyAccess(c, caller.id(), tenantSlug);
      case USER -> caller.systemAdmin() ? IdentityRepository.adminAccess(c, tenantSlug)
          : IdentityRepository.memberAccess(c, caller.id(), tenantSlug);
    });
  }

  /**
   * Creates the first system admin when there is none: from {@code INFRACAST_BOOTSTRAP_ADMIN_EMAIL} and
   * {@code INFRACAST_BOOTSTRAP_ADMIN_PASSWORD}, or with a random password logged once. Does nothing once a system
   * admin exists; replicas racing here create one (an advisory lock serialises them).
   *
   * @return the email of the admin created, if one was
   */
  public static Optional<String> bootstrapAdmin(Transactions transactions, AuditService audit,
      Optional<AppConfig.BootstrapAdmin> given) {
    if (transactions.acrossTenants(IdentityRepository::anySystemAdmin)) {
      return Optional.empty();
    }
    String email = given.map(AppConfig.BootstrapAdmin::email).orElse(DEFAULT_ADMIN_EMAIL);
    Optional<String> password = given.flatMap(AppConfig.BootstrapAdmin::password);
    String chosen = password.orElseGet(IdentityService::randomPassword);
    String hash = new PasswordHasher().hash(chosen);
    boolean created = transactions.acrossTenants(c -> {
      Sql.one(c, "select pg_advisory_xact_lock(?)", rs -> true, BOOTSTRAP_LOCK);
      if (IdentityRepository.anySystemAdmin(c)) {
        return false;
      }
      UUID id = UUID.randomUUID();
      IdentityRepository.insertUser(c, id, email, hash, true);
      audit.record(c, null, null, "user.bootstrap_admin", "user", id.toString(),
          Map.of("email", email));
      return true;
    });
    if (!created) {
      return Optional.empty();
    }
    if (password.isPresent()) {
      log.info("created the first system admin from INFRACAST_BOOTSTRAP_ADMIN_EMAIL/PASSWORD", kv("email", email));
    } else {
      log.warn("created the first system admin with a one-time password, shown only here: email={} password={}",
          email, chosen, kv("email", email));
    }
    return Optional.of(email);
  }

  private static String randomPassword() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
