package io.gameevents.sdk;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link GameEventClient}. Two styles:
 * <ul>
 *   <li>{@code GameEventClientConfig.builder().baseUrl(...).apiKey(...).appId(...)...build()}: an immutable config
 *   (its setters throw; {@link #toBuilder()} makes a changed copy);</li>
 *   <li>{@code new GameEventClientConfig(baseUrl, apiKey).setX(...)}, Vert.x-options style: {@code setX} returns
 *   this, {@code getX} reads.</li>
 * </ul>
 * The client copies the config when it is created; later changes do not affect it.
 */
public final class GameEventClientConfig {

  /** The server's limits for {@code POST /v1/batch}. */
  public static final int SERVER_MAX_BATCH_EVENTS = 500;
  public static final int SERVER_MAX_BATCH_BYTES = 1024 * 1024;

  private final String baseUrl;
  private final String apiKey;
  private Duration requestTimeout = Duration.ofSeconds(10);
  private Duration connectTimeout = Duration.ofSeconds(5);
  private int maxAttempts = 6;
  private Duration maxRetryDuration = Duration.ofSeconds(60);
  private Duration initialBackoff = Duration.ofMillis(250);
  private Duration maxBackoff = Duration.ofSeconds(30);
  private boolean gzipEnabled = true;
  private int gzipThresholdBytes = 4 * 1024;
  private int batchMaxEvents = 100;
  private int batchMaxBytes = 512 * 1024;
  private int maxEventBytes = 32 * 1024;
  private Duration flushInterval = Duration.ofSeconds(2);
  private Duration pickupInterval = Duration.ofMillis(50);
  private int maxQueuedEvents = 10_000;
  private Path queueDirectory;
  private String queueName = "default";
  private String appId;
  private String platform;
  private EventContext context = EventContext.empty();
  /** Built by a {@link Builder}: immutable. */
  private boolean frozen;

  /**
   * @param baseUrl the server, e.g. {@code http://127.0.0.1:8000} (a path prefix is kept)
   * @param apiKey  the API key or JWT sent as {@code Authorization: Bearer ...}
   */
  public GameEventClientConfig(String baseUrl, String apiKey) {
    this.baseUrl = requireBaseUrl(baseUrl);
    this.apiKey = requireApiKey(apiKey);
  }

  public static Builder builder() {
    return new Builder(null);
  }

  /** A builder starting from this config's settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A copy, so a client is not affected by later changes to the caller's instance. */
  GameEventClientConfig copy() {
    return copy(baseUrl, apiKey);
  }

  private GameEventClientConfig copy(String baseUrl, String apiKey) {
    GameEventClientConfig c = new GameEventClientConfig(baseUrl, apiKey);
    c.requestTimeout = requestTimeout;
    c.connectTimeout = connectTimeout;
    c.maxAttempts = maxAttempts;
    c.maxRetryDuration = maxRetryDuration;
    c.initialBackoff = initialBackoff;
    c.maxBackoff = maxBackoff;
    c.gzipEnabled = gzipEnabled;
    c.gzipThresholdBytes = gzipThresholdBytes;
    c.batchMaxEvents = batchMaxEvents;
    c.batchMaxBytes = batchMaxBytes;
    c.maxEventBytes = maxEventBytes;
    c.flushInterval = flushInterval;
    c.pickupInterval = pickupInterval;
    c.maxQueuedEvents = maxQueuedEvents;
    c.queueDirectory = queueDirectory;
    c.queueName = queueName;
    c.appId = appId;
    c.platform = platform;
    c.context = context;
    return c;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /** The credential; never logged. */
  public String getApiKey() {
    return apiKey;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  /** How long one request may wait for the answer before it counts as a (retryable) timeout. Default 10 s. */
  public GameEventClientConfig setRequestTimeout(Duration requestTimeout) {
    checkMutable("setRequestTimeout");
    this.requestTimeout = positive("requestTimeout", requestTimeout);
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** Default 5 s. */
  public GameEventClientConfig setConnectTimeout(Duration connectTimeout) {
    checkMutable("setConnectTimeout");
    this.connectTimeout = positive("connectTimeout", connectTimeout);
    return this;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  /** Requests per send or batch, the first included (1 = never retry). Default 6. */
  public GameEventClientConfig setMaxAttempts(int maxAttempts) {
    checkMutable("setMaxAttempts");
    this.maxAttempts = atLeast("maxAttempts", maxAttempts, 1);
    return this;
  }

  public Duration getMaxRetryDuration() {
    return maxRetryDuration;
  }

  /**
   * The total time budget of one send or batch, retries and waits included: no retry is started
   * that would begin after it. Default 60 s.
   */
  public GameEventClientConfig setMaxRetryDuration(Duration maxRetryDuration) {
    checkMutable("setMaxRetryDuration");
    this.maxRetryDuration = positive("maxRetryDuration", maxRetryDuration);
    return this;
  }

  public Duration getInitialBackoff() {
    return initialBackoff;
  }

  /** The cap of the first retry's random wait; doubles per retry up to maxBackoff. Default 250 ms. */
  public GameEventClientConfig setInitialBackoff(Duration initialBackoff) {
    checkMutable("setInitialBackoff");
    this.initialBackoff = positive("initialBackoff", initialBackoff);
    return this;
  }

  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  /** The largest random wait between two attempts (a longer Retry-After still wins). Default 30 s. */
  public GameEventClientConfig setMaxBackoff(Duration maxBackoff) {
    checkMutable("setMaxBackoff");
    this.maxBackoff = positive("maxBackoff", maxBackoff);
    return this;
  }

  public boolean isGzipEnabled() {
    return gzipEnabled;
  }

  /** Whether bodies above the gzip threshold are sent with {@code Content-Encoding: gzip}. Default true. */
  public GameEventClientConfig setGzipEnabled(boolean gzipEnabled) {
    checkMutable("setGzipEnabled");
    this.gzipEnabled = gzipEnabled;
    return this;
  }

  public int getGzipThresholdBytes() {
    return gzipThresholdBytes;
  }

  /** Bodies larger than this many bytes are gzipped. Default 4096. */
  public GameEventClientConfig setGzipThresholdBytes(int gzipThresholdBytes) {
    checkMutable("setGzipThresholdBytes");
    this.gzipThresholdBytes = atLeast("gzipThresholdBytes", gzipThresholdBytes, 0);
    return this;
  }

  public int getBatchMaxEvents() {
    return batchMaxEvents;
  }

  /** Events per {@code /v1/batch} request; reaching it in the queue triggers a flush. Default 100, max 500. */
  public GameEventClientConfig setBatchMaxEvents(int batchMaxEvents) {
    checkMutable("setBatchMaxEvents");
    this.batchMaxEvents = between("batchMaxEvents", batchMaxEvents, 1, SERVER_MAX_BATCH_EVENTS);
    return this;
  }

  public int getBatchMaxBytes() {
    return batchMaxBytes;
  }

  /**
   * Uncompressed bytes per batch request; reaching it in the queue triggers a flush.
   * Default 512 KiB, max 1 MiB minus room for the envelope and sent_at.
   */
  public GameEventClientConfig setBatchMaxBytes(int batchMaxBytes) {
    checkMutable("setBatchMaxBytes");
    this.batchMaxBytes = between("batchMaxBytes", batchMaxBytes, 1024, SERVER_MAX_BATCH_BYTES - 64 * 1024);
    return this;
  }

  public int getMaxEventBytes() {
    return maxEventBytes;
  }

  /** Larger events are refused locally by {@code track} and {@code send}. Default 32 KiB (the server's default). */
  public GameEventClientConfig setMaxEventBytes(int maxEventBytes) {
    checkMutable("setMaxEventBytes");
    this.maxEventBytes = between("maxEventBytes", maxEventBytes, 256, 512 * 1024);
    return this;
  }

  public Duration getFlushInterval() {
    return flushInterval;
  }

  /** How often queued events are flushed when no size threshold is reached. Default 2 s. */
  public GameEventClientConfig setFlushInterval(Duration flushInterval) {
    checkMutable("setFlushInterval");
    this.flushInterval = positive("flushInterval", flushInterval);
    return this;
  }

  public Duration getPickupInterval() {
    return pickupInterval;
  }

  /**
   * How often the client's own threads pick up what {@code track} queued: they write it to the disk queue (if
   * any) and send the full batches. {@code track} itself never wakes them, so it never waits on another thread.
   * With a disk queue, a crash of the game loses at most the events tracked in the last interval. Default 50 ms.
   */
  public GameEventClientConfig setPickupInterval(Duration pickupInterval) {
    checkMutable("setPickupInterval");
    this.pickupInterval = positive("pickupInterval", pickupInterval);
    return this;
  }

  public int getMaxQueuedEvents() {
    return maxQueuedEvents;
  }

  /** The queue's bound; when full, newly tracked events are dropped and counted. Default 10 000. */
  public GameEventClientConfig setMaxQueuedEvents(int maxQueuedEvents) {
    checkMutable("setMaxQueuedEvents");
    this.maxQueuedEvents = atLeast("maxQueuedEvents", maxQueuedEvents, 1);
    return this;
  }

  public Path getQueueDirectory() {
    return queueDirectory;
  }

  /**
   * Where tracked events are journaled so they survive a restart of the game; null (default) keeps them
   * in memory only. The directory is created if needed.
   */
  public GameEventClientConfig setQueueDirectory(Path queueDirectory) {
    checkMutable("setQueueDirectory");
    this.queueDirectory = queueDirectory;
    return this;
  }

  public String getQueueName() {
    return queueName;
  }

  /**
   * Names the journal file in the queue directory ({@code <name>.events.ndjson}); two clients in one
   * directory need different names. Default "default".
   */
  public GameEventClientConfig setQueueName(String queueName) {
    checkMutable("setQueueName");
    if (queueName == null || !queueName.matches("[A-Za-z0-9._-]{1,64}") || queueName.startsWith(".")) {
      throw new IllegalArgumentException("queueName must be 1-64 characters of [A-Za-z0-9._-], not starting with '.'");
    }
    this.queueName = queueName;
    return this;
  }

  public String getAppId() {
    return appId;
  }

  /** The app_id of every event that sets none (null: each event must set its own). */
  public GameEventClientConfig setAppId(String appId) {
    checkMutable("setAppId");
    this.appId = appId == null ? null : GameEvent.requireAppId(appId);
    return this;
  }

  public String getPlatform() {
    return platform;
  }

  /** The platform of every event that sets none, a wire name of {@link Platform} (null: each event sets it). */
  public GameEventClientConfig setPlatform(String platform) {
    checkMutable("setPlatform");
    this.platform = platform == null ? null : Platform.fromWireName(platform).wireName();
    return this;
  }

  public EventContext getContext() {
    return context;
  }

  /**
   * The context sent with every event (an event's own context overrides it field by field), plus {@code sdk}.
   * Empty by default: then events send no {@code context} at all unless they have their own.
   */
  public GameEventClientConfig setContext(EventContext context) {
    checkMutable("setContext");
    this.context = context == null ? EventContext.empty() : context;
    return this;
  }

  private void checkMutable(String setter) {
    if (frozen) {
      throw new IllegalStateException("this config was built by GameEventClientConfig.builder() and cannot change"
          + " (" + setter + "): make a changed copy with config.toBuilder()....build()");
    }
  }

  /**
   * Builds an immutable {@link GameEventClientConfig}; {@code baseUrl} and {@code apiKey} are required. Every
   * setter checks its value at once and throws {@link IllegalArgumentException} naming it.
   */
  public static final class Builder {

    /** Holds the settings; its url and key are placeholders until build(). */
    private final GameEventClientConfig draft;
    private String baseUrl;
    private String apiKey;

    private Builder(GameEventClientConfig from) {
      if (from == null) {
        draft = new GameEventClientConfig("http://base-url.unset", "unset");
      } else {
        draft = from.copy();
        baseUrl = from.baseUrl;
        apiKey = from.apiKey;
      }
    }

    /** The server, e.g. {@code https://events.example.com} (a path prefix is kept). */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireBaseUrl(baseUrl);
      return this;
    }

    /** The API key or JWT sent as {@code Authorization: Bearer ...} (never logged). */
    public Builder apiKey(String apiKey) {
      this.apiKey = requireApiKey(apiKey);
      return this;
    }

    /** See {@link GameEventClientConfig#setAppId}. */
    public Builder appId(String appId) {
      draft.setAppId(appId);
      return this;
    }

    /** See {@link GameEventClientConfig#setPlatform}. */
    public Builder platform(String platform) {
      draft.setPlatform(platform);
      return this;
    }

    /** See {@link GameEventClientConfig#setContext}. */
    public Builder context(EventContext context) {
      draft.setContext(context);
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      draft.setRequestTimeout(requestTimeout);
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      draft.setConnectTimeout(connectTimeout);
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      draft.setMaxAttempts(maxAttempts);
      return this;
    }

    public Builder maxRetryDuration(Duration maxRetryDuration) {
      draft.setMaxRetryDuration(maxRetryDuration);
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      draft.setInitialBackoff(initialBackoff);
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      draft.setMaxBackoff(maxBackoff);
      return this;
    }

    public Builder gzipEnabled(boolean gzipEnabled) {
      draft.setGzipEnabled(gzipEnabled);
      return this;
    }

    public Builder gzipThresholdBytes(int gzipThresholdBytes) {
      draft.setGzipThresholdBytes(gzipThresholdBytes);
      return this;
    }

    public Builder batchMaxEvents(int batchMaxEvents) {
      draft.setBatchMaxEvents(batchMaxEvents);
      return this;
    }

    public Builder batchMaxBytes(int batchMaxBytes) {
      draft.setBatchMaxBytes(batchMaxBytes);
      return this;
    }

    public Builder maxEventBytes(int maxEventBytes) {
      draft.setMaxEventBytes(maxEventBytes);
      return this;
    }

    public Builder flushInterval(Duration flushInterval) {
      draft.setFlushInterval(flushInterval);
      return this;
    }

    public Builder pickupInterval(Duration pickupInterval) {
      draft.setPickupInterval(pickupInterval);
      return this;
    }

    public Builder maxQueuedEvents(int maxQueuedEvents) {
      draft.setMaxQueuedEvents(maxQueuedEvents);
      return this;
    }

    public Builder queueDirectory(Path queueDirectory) {
      draft.setQueueDirectory(queueDirectory);
      return this;
    }

    public Builder queueName(String queueName) {
      draft.setQueueName(queueName);
      return this;
    }

    /** @throws IllegalStateException when baseUrl or apiKey was not given */
    public GameEventClientConfig build() {
      if (baseUrl == null || apiKey == null) {
        throw new IllegalStateException("GameEventClientConfig.builder() needs "
            + (baseUrl == null ? "baseUrl(...)" : "apiKey(...)") + " before build()");
      }
      GameEventClientConfig built = draft.copy(baseUrl, apiKey);
      built.frozen = true;
      return built;
    }
  }

  private static String requireApiKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    return apiKey;
  }

  private static String requireBaseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl must not be null");
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl, e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, got " + baseUrl);
    }
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  private static Duration positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
    return value;
  }

  private static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  private static int between(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }
}
