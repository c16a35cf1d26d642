package io.gameevents.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.List;

/**
 * Vert.x's HTTP/1 request decoder with one reading of where a request ends (RFC 9112 §6): a request with
 * both Transfer-Encoding and Content-Length, a Transfer-Encoding other than exactly {@code chunked}, or a
 * folded header line (obs-fold, §5.2) is refused as undecodable. A front proxy may read such a request's
 * length the other way; if we read it differently, the bytes one of us takes as the next request
 * (smuggled past the proxy's rules) are that request's body for the other. Netty would take the first
 * as chunked (dropping Content-Length), a chunked coding listed with others as chunked, and would join a
 * folded line to the one before it.
 *
 * <p>A refused request fails the decoder as Netty's own parse errors do: Netty reads nothing more from
 * the connection (a request pipelined behind it is never answered), and
 * {@link HttpVerticle#invalidRequest} answers 400 and closes.
 */
final class FramingDecoder extends VertxHttpRequestDecoder {

  /** The name Vert.x gives its request decoder in the channel pipeline. */
  private static final String NAME = "httpDecoder";

  /** How many bytes a request head may take before Netty refuses it as too long (414 or 431). */
  private final int headLimit;
  /** True between requests: the next bytes are a head (request line and header lines). */
  private boolean atHead = true;
  /** How many bytes of the waiting head have been searched for its end already. */
  private int searched;
  private boolean folded;

  private FramingDecoder(HttpServerOptions options) {
    super(options);
    headLimit = options.getMaxInitialLineLength() + options.getMaxHeaderSize();
  }

  /**
   * Puts this decoder in place of Vert.x's on a new HTTP/1 connection, before it has decoded anything
   * (Vert.x calls the server's connection handler as it sets the connection up). HTTP/2 connections
   * have no such decoder and are left alone.
   */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base && base.channel().pipeline().get(NAME) != null) {
      base.channel().pipeline().replace(NAME, NAME, new FramingDecoder(options));
    }
  }

  /**
   * A head is handed to Netty only whole, so it can be searched for folded lines first: Netty consumes
   * a head line by line as it arrives and keeps no trace of a fold. Bytes are searched once each.
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (atHead && !searchHead(in) && in.readableBytes() <= headLimit) {
      return; // the head's end has not arrived: wait for more bytes
    }
    int before = out.size();
    super.decode(ctx, in, out);
    if (atHead) {
      searched = 0; // Netty took part of a head too long to wait for (it then fails it as too long)
    }
    for (int i = before; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpMessage) {
        atHead = false;
      }
      if (decoded instanceof LastHttpContent) {
        atHead = true;
        searched = 0;
        folded = false;
      }
    }
  }

  /** True once the head's end (an empty line) is found; notes a header line that starts with a space or tab. */
  private boolean searchHead(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int from = start + searched;
    if (searched == 0) {
      while (from < end && Character.isWhitespace((char) in.getByte(from))) { // as Netty skips them too
        from++;
      }
    }
    for (int i = in.forEachByte(from, end - from, ByteProcessor.FIND_LF); i >= 0;
         i = in.forEachByte(i + 1, end - i - 1, ByteProcessor.FIND_LF)) {
      if (i + 1 >= end || (in.getByte(i + 1) == '\r' && i + 2 >= end)) {
        searched = i - start; // the line after this one is not here yet: look at this end of line again
        return false;
      }
      byte next = in.getByte(i + 1);
      if (next == '\n' || (next == '\r' && in.getByte(i + 2) == '\n')) {
        return true;
      }
      if (next == ' ' || next == '\t') {
        folded = true;
      }
    }
    searched = Math.max(0, end - start);
    return false;
  }

  /**
   * Only HTTP/1.0 and 1.1 are read here: Vert.x would answer other versions a bare 501, among them an
   * HTTP/2 preface ({@code PRI * HTTP/2.0}) sent while h2c is off.
   */
  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    if (!initialLine[2].equals("HTTP/1.1") && !initialLine[2].equals("HTTP/1.0")) {
      throw new IllegalArgumentException("not HTTP/1.0 or 1.1");
    }
    return super.createMessage(initialLine);
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    // Netty calls this with the head's headers as they arrived, before it decides how to read the body;
    // what is thrown here makes the request a decoding failure
    if (folded) {
      throw new FramingException("a header line starts with a space or tab (a folded header, obsolete in HTTP/1.1)");
    }
    HttpHeaders headers = message.headers();
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw new FramingException("it has both Transfer-Encoding and Content-Length, so its length is ambiguous");
      }
      if (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
        throw new FramingException("its Transfer-Encoding is not exactly \"chunked\", the only one this server reads");
      }
    }
    return super.isContentAlwaysEmpty(message);
  }

  /** A request whose length could be read more than one way. */
  static final class FramingException extends IllegalArgumentException {
    FramingException(String reason) {
      super(reason);
    }
  }
}
