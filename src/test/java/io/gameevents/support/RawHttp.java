package io.gameevents.support;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test can send what no HTTP client library would (two
 * Content-Length headers, a body that is not what it says, a body trickled a byte at a time) and
 * see exactly what comes back, the end of the connection included. Reads give up after
 * {@code READ_TIMEOUT_MS}: a bound for a failing test, never a measurement.
 */
public final class RawHttp implements AutoCloseable {

  private static final int READ_TIMEOUT_MS = 20_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MS);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawHttp connect(int port) throws IOException {
    return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** From a given local address, e.g. 127.0.0.2: loopback has the whole 127/8, so a test can be many clients. */
  public static RawHttp connectFrom(String localAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    return new RawHttp(socket);
  }

  /** A request's head: the request line, then each header line as given, then the blank line. */
  public static byte[] head(String requestLine, String... headers) {
    StringBuilder head = new StringBuilder(requestLine).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A POST with the given headers, a Content-Length that matches {@code body}, and the body. */
  public static byte[] post(String path, byte[] body, String... headers) {
    List<String> all = new ArrayList<>(List.of("Host: 127.0.0.1"));
    all.addAll(List.of(headers));
    all.add("Content-Length: " + body.length);
    return concat(head("POST " + path + " HTTP/1.1", all.toArray(String[]::new)), body);
  }

  public static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  public RawHttp write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** One response: the status line, the headers and a body framed by Content-Length or chunks. */
  public Response read() throws IOException {
    return read(true);
  }

  /** The status line and headers of an answer without a body (to HEAD). */
  public Response readHead() throws IOException {
    return read(false);
  }

  private Response read(boolean withBody) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new java.io.EOFException("the connection ended before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    Response head = new Response(statusLine, Integer.parseInt(parts[1]), headers, new byte[0]);
    byte[] body;
    if (!withBody) {
      body = new byte[0];
    } else if (head.header("content-length") != null) {
      body = in.readNBytes(Integer.parseInt(head.header("content-length")));
    } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        chunks.write(in.readNBytes(size));
        line();
      }
      line();
      body = chunks.toByteArray();
    } else {
      body = new byte[0];
    }
    return new Response(statusLine, head.status(), headers, body);
  }

  /** True once the server has closed the connection (the next read is the end of the stream). */
  public boolean atEndOfStream() throws IOException {
    return in.read() == -1;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a socket the server has reset: nothing left to release
    }
  }

  /** @param headers lower-case names */
  public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {

    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return new JsonObject(text());
    }
  }
}
