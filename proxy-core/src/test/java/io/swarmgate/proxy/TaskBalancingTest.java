package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.TaskBalancing;
import io.swarmgate.testing.LoopbackTasks;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestDnsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service balanced over its tasks, as {@code tasks.<service>} resolves them (a real DNS server answers, the tasks are
 * real servers on loopback addresses sharing a port): even balance, and no failed request while tasks leave, join,
 * die abruptly or hang.
 */
class TaskBalancingTest {
    private static final Duration REFRESH = Duration.ofMillis(300);

    private final TestDnsServer dns = TestDnsServer.start();
    @RegisterExtension
    final LoopbackTasks tasks = new LoopbackTasks();
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder()
            .settings(builder -> builder.nameServer(dns.address()).taskRefresh(REFRESH)).autoStart(false).build();

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void spreadsRequestsEvenlyOverTheTasks() throws IOException {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.3");
        startProxy(Backend.tasks("web", port), Duration.ofSeconds(20));

        Map<String, Integer> served = new ConcurrentHashMap<>();
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < 3000; i++) {
                Response response = connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
                served.merge(response.header("X-Backend"), 1, Integer::sum);
            }
        }

        assertThat(served).containsOnlyKeys("task1", "task2", "task3");
        assertThat(served.values()).allSatisfy(count -> assertThat(count).isBetween(850, 1150));
        assertThat(proxy.server().tasks()).extracting(TaskState::task).containsExactlyInAnyOrder(
                "127.0.0.1:" + port, "127.0.0.2:" + port, "127.0.0.3:" + port);
        assertThat(proxy.server().tasks()).allSatisfy(task -> {
            assertThat(task.service()).isEqualTo("web");
            assertThat(task.healthy()).isTrue();
            assertThat(task.inFlight()).isZero();
            assertThat(task.pooled()).as("one connection per task, back in its pool").isEqualTo(1);
        });
    }

    @Test
    void noRequestFailsWhileTasksLeaveJoinDieAndHang() throws Exception {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.3");
        startProxy(Backend.tasks("web", port), Duration.ofMillis(500));
        Load load = new Load(proxy.port(), 6);
        try {
            load.awaitMore(300);

            // A task leaves (scaled down): once the lookup is refreshed it gets no new request.
            dns.set("tasks.web", "127.0.0.1", "127.0.0.2");
            await().pollDelay(REFRESH.multipliedBy(2)).until(() -> true);
            int leftWith = tasks.get(2).requests();
            load.awaitMore(300);
            assertThat(tasks.get(2).requests()).isEqualTo(leftWith);

            // A task joins: it gets traffic within a refresh interval (plus the lookup itself).
            TestBackend joined = TestBackend.start("task4", "127.0.0.4", port);
            tasks.add(joined);
            long joinedAt = System.nanoTime();
            dns.set("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.4");
            await().atMost(REFRESH.plusMillis(200)).pollInterval(Duration.ofMillis(5))
                    .until(() -> joined.requests() > 0);
            assertThat(Duration.ofNanos(System.nanoTime() - joinedAt)).isLessThan(REFRESH.plusMillis(200));
            load.awaitMore(300);

            // A task dies abruptly (its connections reset) while still listed, then one hangs.
            tasks.get(0).kill();
            load.awaitMore(300);
            tasks.get(1).hang();
            load.awaitMore(300);
            while (load.completed() < 2000) {
                load.awaitMore(100);
            }
        } finally {
            load.stop();
        }

        assertThat(load.completed()).isGreaterThanOrEqualTo(2000);
        assertThat(load.failures()).as("requests that did not get a 200").isEmpty();
        assertThat(tasks.get(3).requests()).isGreaterThan(100);
    }

    @Test
    void aServiceWithoutHealthyTasksAnswers503AtOnce() throws IOException {
        dns.set("tasks.down", "127.0.0.5", "127.0.0.6");
        startProxy(Backend.tasks("down", 1), Duration.ofSeconds(20));

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Response response = RawHttpConnection.get(proxy.port(), "a", "/");
            assertThat(response.status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        proxy.routes(RouteTable.of(List.of(Route.builder("gone").path("/").backend(Backend.tasks("gone", 80)).build())));
        long start = System.nanoTime();
        assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void whenEveryTaskIsEjectedARequestStillTriesTheOneBackSoonest() throws IOException {
        int port = io.swarmgate.testing.TcpEchoServer.freePort();
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2"); // nothing listens on either: both refuse
        startProxy(Backend.tasks("web", port), Duration.ofSeconds(20));
        for (int i = 0; i < 4; i++) {
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(503);
        }
        assertThat(proxy.server().tasks()).as("both tasks, ejected for 2 s or more").hasSize(2)
                .noneMatch(TaskState::healthy);

        // The first task is back (its node's link returned) long before its ejection ends.
        tasks.add(TestBackend.start("task1", "127.0.0.1", port));
        long back = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        while (!statuses.contains(200) && statuses.size() < 3) {
            statuses.add(RawHttpConnection.get(proxy.port(), "a", "/").status());
        }
        assertThat(statuses).as("at most one more try of the dead task first").endsWith(200).hasSizeLessThanOrEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(1));
        assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).as("the next request").isEqualTo(200);
    }

    @Test
    void aTaskThatNeverAnswersTheConnectCostsAnAttemptNotTheConnectTimeout() throws Exception {
        TestBackend live = TestBackend.start("task1", "127.0.0.1", 0);
        tasks.add(live);
        // A listener that never accepts, its queue full: further connection attempts get no answer at all, as the
        // address of a task that vanished from the overlay network.
        try (java.net.ServerSocket stuck = new java.net.ServerSocket()) {
            stuck.bind(new java.net.InetSocketAddress("127.0.0.2", live.port()), 1);
            List<java.net.Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket socket = new java.net.Socket();
                    try {
                        socket.connect(stuck.getLocalSocketAddress(), 200);
                        queued.add(socket);
                    } catch (IOException e) {
                        socket.close();
                        break; // the queue is full: attempts are now ignored
                    }
                }
                dns.set("tasks.web", "127.0.0.1", "127.0.0.2");
                startProxy(Backend.tasks("web", live.port()), Duration.ofSeconds(20));

                for (int i = 0; i < 4; i++) {
                    long start = System.nanoTime();
                    assertThat(RawHttpConnection.get(proxy.port(), "a", "/x").status()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                }
            } finally {
                for (java.net.Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void anIdempotentRequestWithASmallBodyIsSentAgainWithItsBody() throws Exception {
        int port = tasks.start(2);
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2");
        tasks.get(0).hang();
        startProxy(Backend.tasks("web", port), Duration.ofMillis(300));
        String body = "x".repeat(20_000);

        for (int i = 0; i < 4; i++) {
            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                Response response = connection.exchange("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("received 20000");
            }
        }
        assertThat(tasks.get(0).requests()).as("the hung task took one first").isPositive();
    }

    @Test
    void aRequestWhoseBodyWasTooLargeToKeepIsNotSentAgain() throws Exception {
        int port = tasks.start(1);
        dns.set("tasks.web", "127.0.0.1");
        tasks.get(0).hang();
        proxy.start(ProxyServer.builder().retryBufferBytes(1024)
                .timeouts(Timeouts.DEFAULTS.withServer(Duration.ofMillis(300)))
                .routes(RouteTable.of(List.of(Route.builder("web").path("/").backend(Backend.tasks("web", port))
                        .build()))));

        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            String body = "y".repeat(4096);
            assertThat(connection.exchange("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 4096\r\n\r\n" + body)
                    .status()).isEqualTo(504);
        }
        assertThat(tasks.get(0).requests()).isEqualTo(1);
    }

    @Test
    void stickySessionsPinAClientToItsTaskAndFollowItWhenItLeaves() throws Exception {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.3");
        startProxy(Backend.tasks("web", port, new TaskBalancing(TaskBalancing.Policy.ROUND_ROBIN, null, true)),
                Duration.ofSeconds(20));

        Response first = RawHttpConnection.get(proxy.port(), "a", "/x");
        String cookie = first.header("Set-Cookie");
        assertThat(cookie).startsWith("swarmgate-web=").contains("Path=/").containsIgnoringCase("HttpOnly");
        String pair = cookie.substring(0, cookie.indexOf(';'));
        String pinnedTo = first.header("X-Backend");
        for (int i = 0; i < 20; i++) {
            Response again = sticky(pair);
            assertThat(again.header("X-Backend")).isEqualTo(pinnedTo);
            assertThat(again.header("Set-Cookie")).isNull();
        }

        TestBackend leaving = tasks.stream().filter(t -> t.name().equals(pinnedTo)).findFirst().orElseThrow();
        dns.set("tasks.web", tasks.stream().filter(t -> t != leaving)
                .map(t -> "127.0.0." + t.name().substring(4)).toArray(String[]::new));
        await().atMost(Duration.ofSeconds(5)).until(() -> !pinnedTo.equals(sticky(pair).header("X-Backend")));
        Response moved = sticky(pair);
        String newPair = moved.header("Set-Cookie").substring(0, moved.header("Set-Cookie").indexOf(';'));
        assertThat(newPair).isNotEqualTo(pair);
        for (int i = 0; i < 5; i++) {
            assertThat(sticky(newPair).header("X-Backend")).isEqualTo(moved.header("X-Backend"));
        }
    }

    private Response sticky(String cookie) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\nCookie: other=1; " + cookie + "\r\n\r\n");
        }
    }

    @Test
    void leastRequestsAvoidsATaskBusyWithASlowRequest() throws Exception {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.3");
        startProxy(Backend.tasks("web", port, new TaskBalancing(TaskBalancing.Policy.LEAST_REQUESTS, null)),
                Duration.ofSeconds(20));
        assertThat(RawHttpConnection.get(proxy.port(), "a", "/warm").status()).isEqualTo(200);

        try (RawHttpConnection slow = RawHttpConnection.open(proxy.port())) {
            slow.send("GET /delay/1500 HTTP/1.1\r\nHost: a\r\n\r\n");
            await().until(() -> tasks.stream().mapToInt(TestBackend::requests).sum() == 2);
            Map<String, Integer> served = new ConcurrentHashMap<>();
            try (RawHttpConnection quick = RawHttpConnection.open(proxy.port())) {
                for (int i = 0; i < 30; i++) {
                    Response response = quick.exchange("GET /quick HTTP/1.1\r\nHost: a\r\n\r\n");
                    served.merge(response.header("X-Backend"), 1, Integer::sum);
                }
            }
            String slowServer = slow.readResponse().header("X-Backend");

            assertThat(served).doesNotContainKey(slowServer).hasSize(2);
        }
    }

    @Test
    void activeHealthChecksEjectATaskThatAnswersErrorsAndReadmitItOnceHealed() throws Exception {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.3");
        tasks.get(1).answerWith(503);
        startProxy(Backend.tasks("web", port, new TaskBalancing(TaskBalancing.Policy.ROUND_ROBIN, "/health")),
                Duration.ofSeconds(20));
        RawHttpConnection.get(proxy.port(), "a", "/start"); // the first request starts the checks

        await().atMost(Duration.ofSeconds(5)).until(() -> allOk(30));
        int ejectedWith = tasks.get(1).requests();
        assertThat(allOk(60)).isTrue();
        assertThat(tasks.get(1).requests() - ejectedWith).as("user requests the ejected task got").isZero();

        int before = tasks.get(1).requests();
        tasks.get(1).answerWith(0);
        await().atMost(Duration.ofSeconds(6)).until(() -> {
            RawHttpConnection.get(proxy.port(), "a", "/again");
            return tasks.get(1).requests() > before + 1;
        });
    }

    private boolean allOk(int requests) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < requests; i++) {
                if (connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").status() != 200) {
                    return false;
                }
            }
        }
        return true;
    }

    private void startProxy(Backend backend, Duration serverTimeout) {
        proxy.start(ProxyServer.builder().timeouts(Timeouts.DEFAULTS.withServer(serverTimeout))
                .routes(RouteTable.of(List.of(Route.builder("web").path("/").backend(backend).build()))));
    }

    /** Clients sending GETs in a loop over keep-alive connections, recording every answer that is not a 200. */
    private static final class Load {
        private static final int MAX_REQUESTS = 100_000;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final ExecutorService workers;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger completed = new AtomicInteger();
        private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        Load(int port, int clients) {
            workers = Executors.newFixedThreadPool(clients);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/load"))
                    .timeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < clients; i++) {
                workers.execute(() -> {
                    while (running.get() && completed.get() < MAX_REQUESTS) {
                        try {
                            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                failures.add(response.statusCode() + " " + response.body().trim());
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                        completed.incrementAndGet();
                    }
                });
            }
        }

        void awaitMore(int requests) {
            int target = completed.get() + requests;
            await().atMost(Duration.ofSeconds(30)).until(() -> completed.get() >= target);
        }

        int completed() {
            return completed.get();
        }

        List<String> failures() {
            return failures;
        }

        void stop() throws InterruptedException {
            running.set(false);
            workers.shutdown();
            assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
