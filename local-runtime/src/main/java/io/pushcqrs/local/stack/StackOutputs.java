package io.pushcqrs.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.apigw.RestApiModel;
import io.pushcqrs.local.resources.StackModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <state-dir>/outputs.json}: flat, like {@code cdk deploy --outputs-file}: {@code Endpoint}, {@code ApiUrl}
 * (LocalStack's form), {@code ApiUrlShort}, {@code ApiKey}, every output of the template resolved, {@code StackName}
 * and {@code LogDir}.
 */
final class StackOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackOutputs() {
    }

    static Map<String, String> of(StackModel model, String endpoint, Path logs) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("Endpoint", endpoint);
        Optional<RestApiModel> api = model.apis().stream().filter(a -> !a.stages().isEmpty()).findFirst();
        api.ifPresent(a -> {
            RestApiModel.Stage stage = a.stages().values().iterator().next();
            o.put("ApiUrl", endpoint + "/restapis/" + a.id() + "/" + stage.name() + "/_user_request_");
            o.put("ApiUrlShort", endpoint + "/" + stage.name());
            stage.apiKeys().stream().findFirst().ifPresent(k -> o.put("ApiKey", k.value()));
        });
        model.outputs().forEach((k, v) -> {
            if (!k.equals("Endpoint") && !k.equals("ApiKey") && !k.equals("StackName")) {
                o.put(k, v);
            }
        });
        o.put("StackName", model.stackName());
        o.put("LogDir", logs.toString());
        return Collections.unmodifiableMap(o);
    }

    /** Writes the file atomically (a reader never sees half of it). */
    static void write(Map<String, String> outputs, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(outputs));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
