package tidewatch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code SandboxServer [--world WORLD_FILE] [--template TEMPLATE] [--port PORT] [--no-params]}: the sandbox in a process of its own, so
 * that a function's JVM can be measured without the sandbox sharing its heap, threads or JIT. Prints the endpoint
 * (one line, {@code http://127.0.0.1:PORT}) on standard output once it serves, then serves until standard input
 * closes or the process is killed. {@code --no-params} counts calls without keeping their parameters (long runs);
 * {@code --template} declares what the template's functions name (as the local runner does).
 * Its counters are at {@value Sandbox#STATS_PATH}.
 */
public final class SandboxServer {
    static final String USAGE = "usage: SandboxServer [--world WORLD_FILE] [--template TEMPLATE] [--port PORT] [--no-params]";

    private SandboxServer() {}

    public static void main(String[] args) throws IOException {
        World world = World.empty();
        int port = 0;
        boolean params = true;
        Path template = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--world" -> {
                        Path file = Path.of(next(args, ++i, "--world"));
                        if (!Files.isRegularFile(file)) {
                            throw new IllegalArgumentException("no world file at " + file);
                        }
                        world = World.load(file);
                    }
                    case "--template" -> template = Path.of(next(args, ++i, "--template"));
                    case "--port" -> port = Integer.parseInt(next(args, ++i, "--port"));
                    case "--no-params" -> params = false;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("SandboxServer: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (template != null) {
            FunctionJvm.declareTemplateResources(world, CloudFormationTemplate.load(template), Map.of());
        }
        Sandbox sandbox = Sandbox.start(world, port).recordParams(params);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        System.out.println(sandbox.endpoint());
        System.out.flush();
        // Serve until whoever started us closes our standard input (or kills us).
        while (System.in.read() != -1) {
            // input is ignored
        }
        sandbox.close();
        System.exit(0);
    }

    private static String next(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
