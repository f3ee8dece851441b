package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.discovery.internal.CredentialSecrets;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.HttpServer;
import io.infracast.api.platform.http.JsonBody;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Discovery under {@code /api/v1/tenants/{tenant}}: {@code /jobs} (create, which runs at once, list, get, cancel,
 * and the job's log as server-sent events), {@code /credentials} (create, list, get, delete; never the secret) and
 * {@code /schedules} (create, list, get, replace, delete). See {@link Permission} for who may call which.
 */
public final class DiscoveryModule implements ApiModule {
  private static final Set<String> JOB_FIELDS = Set.of("name", "plugins", "credential_id", "config");
  private static final Set<String> CREDENTIAL_FIELDS = Set.of("name", "type", "secret");
  private static final Set<String> SCHEDULE_FIELDS = Set.of("name", "plugins", "credential_id", "config",
      "interval_seconds", "enabled");
  public static final int MIN_INTERVAL_SECONDS = 60;
  /** Thirty days. */
  public static final int MAX_INTERVAL_SECONDS = 30 * 24 * 3600;
  /** How often a stream looks for new log lines, and how long it stays silent before a keep-alive comment. */
  private static final long STREAM_POLL_MS = 250;
  private static final long KEEPALIVE_MS = 15_000;
  private static final int STREAM_BATCH = 500;
  private static final ObjectMapper JSON = HttpServer.objectMapper();

  private final DiscoveryService service;
  private final Authenticator authenticator;

  public DiscoveryModule(DiscoveryService service, Authenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  @Override
  public void register(RoutesConfig routes) {
    SecuredRoutes secured = new SecuredRoutes(routes, authenticator);
    secured.add(Permission.JOBS_CREATE, (ctx, auth) -> {
      JsonBody body = JsonBody.of(ctx, JOB_FIELDS);
      ctx.status(201).json(service.create(auth, name(body), body.requiredStrings("plugins",
          DiscoveryService.MAX_PLUGINS), body.optionalObject("config"), credentialId(body)));
    });
    secured.add(Permission.JOBS_LIST, (ctx, auth) -> ctx.json(service.list(auth,
        Optional.ofNullable(ctx.queryParam("status")).map(s -> JobStatus.fromWire(s).orElseThrow(() ->
            new ApiException(ErrorCode.BAD_REQUEST, "status must be running, succeeded, failed or cancelled",
                Map.of("parameter", "status")))),
        Optional.ofNullable(ctx.queryParam("plugin")), Page.of(ctx))));
    secured.add(Permission.JOB_GET, (ctx, auth) -> ctx.json(service.job(auth, jobId(ctx))));
    secured.add(Permission.JOB_CANCEL, (ctx, auth) -> ctx.json(service.cancel(auth, jobId(ctx))));
    secured.add(Permission.JOB_STREAM, this::stream);

    secured.add(Permission.CREDENTIALS_CREATE, (ctx, auth) -> {
      JsonBody body = JsonBody.of(ctx, CREDENTIAL_FIELDS);
      String name = name(body);
      String type = body.requiredString("type");
      if (!CredentialSecrets.TYPES.contains(type)) {
        throw body.invalid("type", "must be one of " + String.join(", ", CredentialSecrets.TYPES));
      }
      ctx.status(201).json(service.createCredential(auth, name, type, CredentialSecrets.parse(body, "secret", type)));
    });
    secured.add(Permission.CREDENTIALS_LIST, (ctx, auth) -> ctx.json(service.credentials(auth, Page.of(ctx))));
    secured.add(Permission.CREDENTIAL_GET, (ctx, auth) -> ctx.json(service.credential(auth,
        id(ctx, "credential"))));
    secured.add(Permission.CREDENTIAL_DELETE, (ctx, auth) -> {
      service.deleteCredential(auth, id(ctx, "credential"));
      ctx.status(204);
    });

    secured.add(Permission.SCHEDULES_CREATE, (ctx, auth) -> ctx.status(201).json(service.createSchedule(auth,
        scheduleInput(JsonBody.of(ctx, SCHEDULE_FIELDS)))));
    secured.add(Permission.SCHEDULES_LIST, (ctx, auth) -> ctx.json(service.schedules(auth, Page.of(ctx))));
    secured.add(Permission.SCHEDULE_GET, (ctx, auth) -> ctx.json(service.schedule(auth, id(ctx, "schedule"))));
    secured.add(Permission.SCHEDULE_REPLACE, (ctx, auth) -> ctx.json(service.replaceSchedule(auth,
        id(ctx, "schedule"), scheduleInput(JsonBody.of(ctx, SCHEDULE_FIELDS)))));
    secured.add(Permission.SCHEDULE_DELETE, (ctx, auth) -> {
      service.deleteSchedule(auth, id(ctx, "schedule"));
      ctx.status(204);
    });
  }

  private static ScheduleInput scheduleInput(JsonBody body) {
    String name = name(body);
    List<String> plugins = body.requiredStrings("plugins", DiscoveryService.MAX_PLUGINS);
    int interval = body.optionalInt("interval_seconds", MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS)
        .orElseThrow(() -> body.invalid("interval_seconds", "is required"));
    return new ScheduleInput(name, plugins, body.optionalObject("config"), credentialId(body), interval,
        body.optionalBoolean("enabled").orElse(true));
  }

  private static String name(JsonBody body) {
    String name = body.requiredString("name");
    if (name.isBlank() || name.length() > 200) {
      throw body.invalid("name", "must be 1 to 200 characters");
    }
    return name;
  }

  private static Optional<UUID> credentialId(JsonBody body) {
    return body.optionalString("credential_id").map(v -> {
      try {
        return UUID.fromString(v);
      } catch (IllegalArgumentException e) {
        throw body.invalid("credential_id", "must be a credential's id (a UUID)");
      }
    });
  }

  /**
   * The job's log as server-sent events: each line an event {@code log} with its {@code seq} as the event id
   * (a client reconnecting with {@code Last-Event-ID} continues after it), history first, then lines as they come;
   * an event {@code end} with the job once it has ended. Reads the database, so it works on any replica.
   */
  private void stream(Context ctx, AuthContext auth) throws IOException, InterruptedException {
    UUID id = jobId(ctx);
    service.job(auth, id);
    long after = lastEventId(ctx);
    ctx.status(200).contentType("text/event-stream; charset=utf-8");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    long quietSince = System.currentTimeMillis();
    while (true) {
      Job job = service.job(auth, id);
      List<JobLogLine> lines = service.log(auth, id, after, STREAM_BATCH);
      for (JobLogLine line : lines) {
        event(out, Long.toString(line.seq()), "log", line);
        after = line.seq();
      }
      if (lines.size() == STREAM_BATCH) {
        continue;
      }
      if (job.status() != JobStatus.RUNNING) {
        event(out, null, "end", job);
        return;
      }
      if (service.closing()) {
        // This replica is stopping: the client reconnects (Last-Event-ID) and another replica continues.
        return;
      }
      if (!lines.isEmpty()) {
        quietSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - quietSince > KEEPALIVE_MS) {
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        quietSince = System.currentTimeMillis();
      }
      Thread.sleep(STREAM_POLL_MS);
    }
  }

  private static void event(OutputStream out, String id, String name, Object data) throws IOException {
    String text = (id == null ? "" : "id: " + id + "\n") + "event: " + name + "\ndata: "
        + JSON.writeValueAsString(data) + "\n\n";
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static long lastEventId(Context ctx) {
    String last = ctx.header("Last-Event-ID");
    try {
      return last == null ? 0 : Long.parseLong(last.trim());
    } catch (NumberFormatException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "Last-Event-ID must be the id of an event of this stream",
          Map.of("header", "Last-Event-ID"));
    }
  }

  private static UUID jobId(Context ctx) {
    return id(ctx, "job");
  }

  /** The path's {@code {<kind>_id}}; not an id this API made is no such thing: 404. */
  private static UUID id(Context ctx, String kind) {
    String value = ctx.pathParam(kind + "_id");
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(kind + " " + value + " not found");
    }
  }
}
