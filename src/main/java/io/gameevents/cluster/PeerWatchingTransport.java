package io.gameevents.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;

import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's own transport (epoll where it loads, else NIO) with one addition: on a listener that demands client
 * certificates, the clustered event bus's, each connection's TLS handshake is watched and a failed one reported
 * to {@link RefusedPeers}.
 *
 * <p>Why here: the clustered event bus builds its NetServer from its options' JSON form (so a custom trust manager
 * or SSL engine factory would be dropped) and sets no exception handler on it, and Vert.x's metrics SPI hears of a
 * connection only once its handshake has succeeded. The transport's public SPI is the one place Vert.x hands over
 * the listener's Netty bootstrap. The watch is a handler on the listening channel that, for each accepted
 * connection, puts a one-shot handler first in its pipeline; when the connection becomes active, Vert.x has added
 * its SslHandler, and the one-shot handler listens to that handler's handshake and leaves. Connections of every
 * other listener (the HTTP ports) are not touched.
 */
public final class PeerWatchingTransport implements Transport {

  private final Transport base;
  private final Watching implementation;

  /** @param refused told of every failed handshake on a listener that requires client certificates */
  public PeerWatchingTransport(RefusedPeers refused) {
    Transport nativeTransport = Transport.nativeTransport();
    this.base = nativeTransport != null && nativeTransport.available() ? nativeTransport : Transport.NIO;
    this.implementation = new Watching(base.implementation(), refused);
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }

  /** Only the event bus asks for client certificates: its listener is the one to watch. */
  static boolean watched(NetServerOptions options) {
    return options.isSsl() && options.getClientAuth() == ClientAuth.REQUIRED;
  }

  /** Everything as the base transport does it, plus the watch on a listener requiring client certificates. */
  private static final class Watching implements io.vertx.core.spi.transport.Transport {

    private final io.vertx.core.spi.transport.Transport base;
    private final RefusedPeers refused;

    Watching(io.vertx.core.spi.transport.Transport base, RefusedPeers refused) {
      this.base = base;
      this.refused = refused;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      base.configure(options, domainSocket, bootstrap);
      if (watched(options)) {
        bootstrap.handler(new AcceptedConnections(refused));
      }
    }

    @Override
    public boolean supportsDomainSockets() {
      return base.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return base.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return base.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return base.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return base.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return base.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return base.datagramChannel();
    }

    @Override
    @SuppressWarnings("deprecation") // the SPI's own signature
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return base.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return base.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return base.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      base.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      base.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }

  /**
   * On the listening channel, ahead of Netty's acceptor: each accepted connection gets the handshake watch first
   * in its pipeline, before Vert.x's initializer adds the TLS handler behind it.
   */
  @ChannelHandler.Sharable
  private static final class AcceptedConnections extends ChannelInboundHandlerAdapter {

    private final RefusedPeers refused;

    AcceptedConnections(RefusedPeers refused) {
      this.refused = refused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel connection) {
        connection.pipeline().addLast(new HandshakeWatch(refused));
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** One connection's: once active, it hands its handshake's outcome to {@link RefusedPeers} and leaves. */
  private static final class HandshakeWatch extends ChannelInboundHandlerAdapter {

    private final RefusedPeers refused;

    HandshakeWatch(RefusedPeers refused) {
      this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      SslHandler tls = ctx.pipeline().get(SslHandler.class);
      if (tls != null) {
        SocketAddress peer = ctx.channel().remoteAddress();
        tls.handshakeFuture().addListener(handshake -> {
          if (!handshake.isSuccess()) {
            refused.refused(peer, handshake.cause());
          }
        });
      }
      ctx.fireChannelActive();
      ctx.pipeline().remove(this);
    }
  }
}
