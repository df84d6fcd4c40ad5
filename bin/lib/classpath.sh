# Sourced by bin/tidewatch and bin/benchmark from the project root: compiles the main and test classes and writes
# the test-scope dependency classpath to target/runner.classpath, when it is missing or a source is newer.
runner_classpath_file="target/runner.classpath"
if [[ ! -f "$runner_classpath_file" || -n "$(find functions tests pom.xml -newer "$runner_classpath_file" -print -quit 2>/dev/null || echo rebuild)" ]]; then
  ./mvnw -B -q -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$runner_classpath_file" -Dmdep.regenerateFile=true -DincludeScope=test >&2
fi
