package io.gameevents.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How this node joins a cluster (only used with {@code -cluster}) and which stages it runs.
 * Discovery is Hazelcast TCP/IP with the {@code members} seeds: multicast, Hazelcast's default,
 * is off because most clouds drop it.
 *
 * @param name                     Hazelcast cluster name: nodes with another name never join
 * @param host                     the address this node binds and advertises (Hazelcast and event bus)
 * @param port                     Hazelcast member port
 * @param eventBusPort             the clustered event bus port (0: any free port, advertised)
 * @param members                  seed members, {@code host:port}
 * @param roles                    the stages this node runs; {@code roles} applies with or without a cluster
 * @param failureDetectionSeconds  how long a silent member is given before it is declared dead
 *                                 (Hazelcast's max.no.heartbeat.seconds; its own default is 60)
 * @param kubernetesServiceDns     instead of {@code members}: the headless Service whose DNS name
 *                                 lists the pods (Hazelcast's Kubernetes discovery, DNS mode)
 * @param tls                      the member certificate the event bus proves itself with and demands of
 *                                 its peers; null for a plain-TCP event bus
 * @param insecurePlaintext        the operator's word that the network is private: allows a plain-TCP event
 *                                 bus on a non-loopback host
 * @param secret                   what members prove they hold in what they write into Hazelcast (required
 *                                 with {@code -cluster}, the same on every member); null on a single node
 */
public record ClusterConfig(String name, String host, int port, int eventBusPort, List<Member> members,
                            Set<Role> roles, int failureDetectionSeconds, String kubernetesServiceDns,
                            Tls tls, boolean insecurePlaintext, ClusterSecret secret) {

  /**
   * PEM files of the event bus's mutual TLS: this member's certificate and key, and the CA that signs members
   * (a CA of its own: any certificate it signed is taken as a member).
   */
  public record Tls(String certPath, String keyPath, String caPath) {

    static Tls from(Section s) {
      String cert = s.string("cert_path", null);
      String key = s.string("key_path", null);
      String ca = s.string("ca_path", null);
      s.done();
      if (cert == null && key == null && ca == null) {
        return null;
      }
      required(s, "cert_path", cert);
      required(s, "key_path", key);
      required(s, "ca_path", ca);
      return new Tls(cert, key, ca);
    }

    private static void required(Section s, String name, String value) {
      if (value == null || value.isBlank()) {
        throw s.invalid(name, "is missing: cluster.tls needs cert_path, key_path and ca_path together");
      }
    }
  }

  public enum Role {
    HTTP, DEDUP, DELIVERY, FORWARD;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Member(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private static final Pattern MEMBER = Pattern.compile("\\[?([A-Za-z0-9._:-]*[A-Za-z0-9])]?:(\\d{1,5})");

  static ClusterConfig from(Section s) {
    ClusterConfig config = new ClusterConfig(
        s.string("name", null), // required with -cluster: a shared default would let strangers' clusters merge
        s.string("host", "127.0.0.1"),
        s.intValue("port", 5701, 1, 65535),
        s.intValue("event_bus_port", 0, 0, 65535),
        members(s),
        roles(s),
        s.intValue("failure_detection_seconds", 5, 2, 600),
        s.string("kubernetes_service_dns", null),
        Tls.from(s.section("tls")),
        s.bool("insecure_plaintext", false),
        ClusterSecret.from(s, "secret"));
    s.done();
    if (config.kubernetesServiceDns != null && !config.members.isEmpty()) {
      throw s.invalid("kubernetes_service_dns", "and cluster.members are both set: use one way to find the members");
    }
    return config;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  private static List<Member> members(Section s) {
    List<String> texts = s.strings("members", List.of());
    return texts.stream().map(text -> {
      Matcher m = MEMBER.matcher(text.trim());
      int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
      if (port < 1 || port > 65535) {
        throw s.invalid("members", "has '" + text + "', which is not host:port (e.g. 10.0.0.5:5701)");
      }
      return new Member(m.group(1), port);
    }).toList();
  }

  private static Set<Role> roles(Section s) {
    if (!s.has("roles")) {
      return EnumSet.allOf(Role.class);
    }
    List<String> names = s.strings("roles", List.of());
    if (names.isEmpty()) {
      throw s.invalid("roles", "is empty: give at least one of http, dedup, delivery, forward");
    }
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      try {
        roles.add(Role.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw s.invalid("roles", "has unknown role '" + name + "': use http, dedup, delivery or forward");
      }
    }
    return roles;
  }
}
