package io.gameevents.cluster;

import io.gameevents.config.ClusterConfig;
import io.gameevents.config.ConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The event bus's mutual TLS: the member's PEM certificate and key, and the CA that signs members, read and checked
 * once at start-up so that a missing, unreadable or wrong file fails there with one line naming its key, instead
 * of at the first handshake.
 *
 * @param cert   this member's certificate chain (PEM)
 * @param key    its private key (PEM)
 * @param ca     the certificates of the CA(s) trusted to sign members (PEM); during a CA rotation, old and new
 * @param expiry when this member's certificate expires
 */
public record ClusterTls(Buffer cert, Buffer key, Buffer ca, Instant expiry) {

  public static ClusterTls load(ClusterConfig.Tls files) {
    Buffer cert = read("cert_path", files.certPath());
    List<X509Certificate> chain = certificates("cert_path", files.certPath(), cert);
    Buffer ca = read("ca_path", files.caPath());
    certificates("ca_path", files.caPath(), ca);
    Buffer key = read("key_path", files.keyPath());
    checkKeyMatches(files, cert, key, chain.get(0));
    return new ClusterTls(cert, key, ca, chain.get(0).getNotAfter().toInstant());
  }

  /**
   * Both sides of every event-bus connection: the server demands a certificate from the CA (a peer without one is
   * refused in the handshake), and the client side, built by Vert.x from the same options, presents this member's
   * certificate and trusts only that CA. No hostname check: members are recognised by their CA, not their address.
   */
  public EventBusOptions apply(EventBusOptions options) {
    return options.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(key).setCertValue(cert))
        .setTrustOptions(new PemTrustOptions().addCertValue(ca));
  }

  /** Never the key: a record's default toString would print the buffers. */
  @Override
  public String toString() {
    return "ClusterTls[certificate expires " + expiry + "]";
  }

  private static Buffer read(String name, String path) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(path)));
    } catch (IOException | RuntimeException e) {
      throw invalid(name, "cannot be read: " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<X509Certificate> certificates(String name, String path, Buffer pem) {
    Collection<? extends Certificate> parsed;
    try {
      parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes()));
    } catch (CertificateException e) {
      parsed = List.of();
    }
    if (parsed.isEmpty()) {
      throw invalid(name, "is not a PEM certificate: " + path);
    }
    return parsed.stream().map(X509Certificate.class::cast).toList();
  }

  /** The key must parse and be the certificate's: a signature made with it verifies with the certificate's key. */
  private static void checkKeyMatches(ClusterConfig.Tls files, Buffer cert, Buffer key, X509Certificate member) {
    PrivateKey privateKey;
    try {
      KeyManager[] managers = new PemKeyCertOptions().setKeyValue(key).setCertValue(cert)
          .getKeyManagerFactory(null).getKeyManagers();
      X509KeyManager manager = (X509KeyManager) managers[0];
      privateKey = manager.getPrivateKey(manager.getServerAliases(member.getPublicKey().getAlgorithm(), null)[0]);
    } catch (Exception e) {
      throw invalid("key_path", "is not a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC): " + files.keyPath());
    }
    try {
      String algorithm = "EC".equals(privateKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      byte[] probe = "game-events".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(member.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another type than the certificate's: not its key
    }
    throw invalid("key_path", "is not the key of the certificate in cluster.tls.cert_path: " + files.keyPath());
  }

  private static ConfigException invalid(String name, String problem) {
    return new ConfigException("config key 'cluster.tls." + name + "' " + problem);
  }
}
