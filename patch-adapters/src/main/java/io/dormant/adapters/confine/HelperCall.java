package io.dormant.adapters.confine;

import java.util.List;
import java.util.Map;

/**
 * One call of a helper command from a confined script: the command's name, its arguments, and
 * the variables of dpkg's environment that the helpers read ({@link ForwardedCalls#ENVIRONMENT}).
 */
public record HelperCall(String command, List<String> args, Map<String, String> environment) {

    public HelperCall {
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
    }

    public String env(String name) {
        return environment.getOrDefault(name, "");
    }

    public String describe() {
        return command + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
}
