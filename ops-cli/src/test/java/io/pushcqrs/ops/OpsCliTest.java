package io.pushcqrs.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OpsCliTest {

    @Test
    void withoutSubcommandPrintsUsageAndExits2() {
        Cli.Result r = Cli.run();
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("which tool?").contains("insert").contains("check-sync").contains("rebuild");
    }

    @ParameterizedTest
    @ValueSource(strings = {"insert", "check-sync", "query", "rebuild"})
    void everySubcommandHasHelpWithExamples(String sub) {
        Cli.Result r = Cli.run(sub, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: ops-cli " + sub).contains("Examples:").contains("scripts/" + sub + ".sh")
                .contains("--outputs").contains("--endpoint").contains("--api-url").contains("--region");
    }

    @Test
    void scriptNameFromTheEnvironmentIsTheUsageName() {
        Cli.Result r = Cli.run(Map.of(OpsCli.ENV_SCRIPT, "scripts/check-sync.sh"), "check-sync", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: scripts/check-sync.sh [-hV]");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("check-sync", "--no-such-option");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'").contains("--help");
    }

    @Test
    void badDurationIsAUsageError() {
        Cli.Result r = Cli.run("check-sync", "--wait", "--timeout", "soon");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not a duration: 'soon'");
    }

    @Test
    void versionIsPrinted() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(OpsCli.VERSION);
    }
}
