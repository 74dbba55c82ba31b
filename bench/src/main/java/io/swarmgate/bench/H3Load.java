package io.swarmgate.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A bounded HTTP/3 load: a fixed number of GETs over a few QUIC connections to 127.0.0.1, each keeping a number of
 * streams in flight, for bench/load/h3.sh (Debian's h2load does not speak HTTP/3). One event-loop thread drives every
 * connection, as h2load's {@code -t1}. Prints one line in run_h2load's format (bench/load/lib.sh): requests, duration
 * and latency percentiles in microseconds, and the failures.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.swarmgate.bench.H3Load --port 24087 [--option value]
 *
 *   --port 24087          the proxy's TLS port (UDP side) on 127.0.0.1 (the only host this tool sends to)
 *   --path /demo/small    the path asked for
 *   --requests 100000     GETs in all
 *   --connections 64      QUIC connections
 *   --streams 1           streams in flight per connection
 *   --timeout 300         seconds to wait for the answers; those still missing count as timeouts
 * </pre>
 */
public final class H3Load {
    private final String path;
    private final int requests;
    private final int streams;
    private final String authority;
    private final long[] latencies;
    private final CountDownLatch done;
    /** Touched on the one event loop only. */
    private int issued;
    private int completed;
    private int failed;

    private H3Load(int port, String path, int requests, int streams) {
        this.path = path;
        this.requests = requests;
        this.streams = streams;
        this.authority = "localhost:" + port;
        this.latencies = new long[requests];
        this.done = new CountDownLatch(requests);
    }

    public static void main(String[] args) throws Exception {
        NamedOptions options = new NamedOptions(args, H3Load::usage);
        int port = options.getInt("port", 0, 65535);
        if (port == 0) {
            usage("--port is required");
        }
        String path = options.get("path", "/demo/small");
        int requests = options.getInt("requests", 100_000);
        int connections = options.getInt("connections", 64, 10_000);
        int streams = options.getInt("streams", 1, 100);
        int timeout = options.getInt("timeout", 300);
        new H3Load(port, path, requests, streams).run(port, connections, timeout);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: H3Load --port PORT [--path /demo/small] [--requests 100000] [--connections 64]"
                + " [--streams 1]");
        System.exit(2);
    }

    private void run(int port, int connections, int timeoutSeconds) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            QuicSslContext tls = QuicSslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocols(Http3.supportedApplicationProtocols())
                    .build();
            InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", port);
            List<QuicChannel> quics = new ArrayList<>();
            List<Channel> sockets = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Channel udp = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                        .handler(Http3.newQuicClientCodecBuilder()
                                .sslEngineProvider(channel -> tls.newEngine(channel.alloc(), "localhost", port))
                                .maxIdleTimeout(30, TimeUnit.SECONDS)
                                .initialMaxData(16L * 1024 * 1024)
                                .initialMaxStreamDataBidirectionalLocal(1024 * 1024)
                                .initialMaxStreamsUnidirectional(8)
                                .build())
                        .bind(0).sync().channel();
                sockets.add(udp);
                quics.add(QuicChannel.newBootstrap(udp).handler(new Http3ClientConnectionHandler())
                        .remoteAddress(proxy).connect().get(10, TimeUnit.SECONDS));
            }
            long started = System.nanoTime();
            for (QuicChannel quic : quics) {
                quic.eventLoop().execute(() -> {
                    for (int s = 0; s < streams; s++) {
                        next(quic);
                    }
                });
            }
            boolean all = done.await(timeoutSeconds, TimeUnit.SECONDS);
            long duration = System.nanoTime() - started;
            // The counts are the event loop's: read them there.
            group.next().submit(() -> report(duration, all)).get(10, TimeUnit.SECONDS);
            for (QuicChannel quic : quics) {
                quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
            for (Channel udp : sockets) {
                udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Starts the next request on this connection, if any is left. */
    private void next(QuicChannel quic) {
        if (issued == requests || !quic.isActive()) {
            return;
        }
        int index = issued++;
        long start = System.nanoTime();
        Http3.newRequestStream(quic, new Answer(quic, index, start)).addListener(f -> {
            if (!f.isSuccess()) {
                finished(quic, index, start, false);
                return;
            }
            QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
            Http3Headers headers = new DefaultHttp3Headers().method("GET").path(path).scheme("https")
                    .authority(authority);
            stream.writeAndFlush(new DefaultHttp3HeadersFrame(headers)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        });
    }

    private void finished(QuicChannel quic, int index, long start, boolean ok) {
        latencies[index] = System.nanoTime() - start;
        if (ok) {
            completed++;
        } else {
            failed++;
        }
        done.countDown();
        next(quic);
    }

    private void report(long durationNanos, boolean all) {
        long[] sorted = Arrays.copyOf(latencies, requests);
        Arrays.sort(sorted);
        System.out.printf("requests=%d duration_us=%d bytes=0 connect_errors=0 read_errors=%d write_errors=0"
                        + " timeouts=%d http_errors=0 p50_us=%d p90_us=%d p99_us=%d max_us=%d%n", completed,
                durationNanos / 1000, failed, all ? 0 : requests - completed - failed, percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), sorted[requests - 1] / 1000);
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[(sorted.length - 1) * p / 100] / 1000;
    }

    /** One stream's answer: a 200 with its body read to the end counts as a success. */
    private final class Answer extends Http3RequestStreamInboundHandler {
        private final QuicChannel quic;
        private final int index;
        private final long start;
        private boolean ok;
        private boolean ended;

        Answer(QuicChannel quic, int index, long start) {
            this.quic = quic;
            this.index = index;
            this.start = start;
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            CharSequence status = frame.headers().status();
            if (status != null && status.length() == 3 && status.charAt(0) != '1') {
                ok = "200".contentEquals(status);
            }
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            frame.release();
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            end(ok);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end(false);
            ctx.fireChannelInactive();
        }

        private void end(boolean success) {
            if (!ended) {
                ended = true;
                finished(quic, index, start, success);
            }
        }
    }
}
