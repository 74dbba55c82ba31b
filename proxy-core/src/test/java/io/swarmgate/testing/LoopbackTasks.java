package io.swarmgate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The tasks of a service, faked on loopback: servers on 127.0.0.1, .2, … sharing one port, as a service's tasks share
 * their target port. Each answers its name ({@code task1}, …) in {@code X-Backend}. Closed after each test.
 */
public final class LoopbackTasks implements AfterEachCallback {
    private final List<TestBackend> tasks = new ArrayList<>();

    /** Starts {@code count} tasks; answers their port. */
    public int start(int count) {
        TestBackend first = TestBackend.start("task1", "127.0.0.1", 0);
        tasks.add(first);
        for (int i = 2; i <= count; i++) {
            tasks.add(TestBackend.start("task" + i, "127.0.0." + i, first.port()));
        }
        return first.port();
    }

    /** Adds a task started by the test, to be closed with the others. */
    public void add(TestBackend task) {
        tasks.add(task);
    }

    /** The task of index {@code index}, from 0 in the order started. */
    public TestBackend get(int index) {
        return tasks.get(index);
    }

    public Stream<TestBackend> stream() {
        return tasks.stream();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        tasks.forEach(TestBackend::close);
    }
}
