package io.infracast.api.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Discovery jobs under {@code /api/v1/tenants/{tenant}/jobs}: create (runs at once), list, get, cancel, and the
 * job's log as server-sent events. See {@link Permission} for who may call which.
 */
public final class DiscoveryModule implements ApiModule {
  private static final Set<String> JOB_FIELDS = Set.of("name", "plugins", "credential_id", "config");
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
      if (body.optionalString("credential_id").isPresent()) {
        // No credential store in this release: refusing beats running the plugins without what was asked for.
        throw body.invalid("credential_id", "is not supported yet: this release stores no discovery credentials");
      }
      String name = body.requiredString("name");
      if (name.isBlank() || name.length() > 200) {
        throw body.invalid("name", "must be 1 to 200 characters");
      }
      ctx.status(201).json(service.create(auth, name, body.requiredStrings("plugins", DiscoveryService.MAX_PLUGINS),
          body.optionalObject("config")));
    });
    secured.add(Permission.JOBS_LIST, (ctx, auth) -> ctx.json(service.list(auth,
        Optional.ofNullable(ctx.queryParam("status")).map(s -> JobStatus.fromWire(s).orElseThrow(() ->
            new ApiException(ErrorCode.BAD_REQUEST, "status must be running, succeeded, failed or cancelled",
                Map.of("parameter", "status")))),
        Optional.ofNullable(ctx.queryParam("plugin")), Page.of(ctx))));
    secured.add(Permission.JOB_GET, (ctx, auth) -> ctx.json(service.job(auth, jobId(ctx))));
    secured.add(Permission.JOB_CANCEL, (ctx, auth) -> ctx.json(service.cancel(auth, jobId(ctx))));
    secured.add(Permission.JOB_STREAM, this::stream);
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
    try {
      return UUID.fromString(ctx.pathParam("job_id"));
    } catch (IllegalArgumentException e) {
      // Not an id this API made: no such job.
      throw ApiException.notFound("job " + ctx.pathParam("job_id") + " not found");
    }
  }
}
