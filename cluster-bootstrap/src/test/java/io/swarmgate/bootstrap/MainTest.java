package io.swarmgate.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsEverySubcommand() {
        ToolRun run = ToolRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("lab ", "cluster ", "network ", "registry ", "proxy ", "app ", "pipeline ");
    }

    @Test
    void helpOfAGroupListsItsSubcommands() {
        assertThat(ToolRun.of("lab", "--help").out()).contains("up ", "down ", "kill-node ", "partition ", "heal ");
        assertThat(ToolRun.of("cluster", "--help").out()).contains("up ", "status ", "down ");
        assertThat(ToolRun.of("proxy").out()).contains("deploy ");
    }

    @Test
    void refusesToCutOrHealANodeTheLabDoesNotHave() {
        ToolRun partition = ToolRun.of("lab", "partition", "9");
        ToolRun heal = ToolRun.of("lab", "heal", "9");

        assertThat(partition.exitCode()).isEqualTo(1);
        assertThat(partition.err()).contains("no lab node 9 (nodes: ");
        assertThat(heal.exitCode()).isEqualTo(1);
        assertThat(heal.err()).contains("no lab node 9 (nodes: ");
    }

    @Test
    void refusesANodeCountOutOfRangeBeforeTouchingAnything() {
        ToolRun run = ToolRun.of("lab", "up", "--nodes", "12");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--nodes 12 (expected: 1-9)");
    }

    @Test
    void refusesASingleProxyReplica() {
        ToolRun run = ToolRun.of("proxy", "deploy", "--replicas", "1", "--engine", "unix:///nonexistent.sock");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--replicas 1 (expected: at least 2");
    }

    @Test
    void namesAnEngineThatDoesNotAnswer() {
        ToolRun run = ToolRun.of("cluster", "status", "--engine", "unix:///nonexistent.sock");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no Docker engine answers at unix:///nonexistent.sock");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(ToolRun.of("network", "--no-such-option").exitCode()).isEqualTo(2);
    }
}
