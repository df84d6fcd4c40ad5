"""What only the transformed template shows (issue 17), checked on the SAM translator's own output.

Run with the Python of the pinned AWS SAM CLI's virtual environment (it holds the translator):
    target/sam-venv/bin/python .ci/check-transformed-template.py template.yaml

Three rules, each first shown to catch a broken copy of the template (the self-test), then applied to the template:
1. Every reference to a function goes through its `live` alias (SnapStart snapshots published versions only, so an
   event source, alarm action, schedule, permission or policy on the bare function would run unprimed $LATEST). Only
   the function's own Version and Alias, and an EventInvokeConfig qualified by the alias, may name the function.
2. Every function keeps its failures: an EventInvokeConfig with an OnFailure destination, or (a function with no
   asynchronous invoker) only SQS event sources whose queues have a redrive policy.
3. No IAM statement allows a write action on Resource "*". Read actions (Describe, Get, List) may, and so may the
   network-interface actions Lambda performs with a VPC function's execution role, which AWS documents on "*" (the
   AWSLambdaVPCAccessExecutionRole managed policy's list). Resource policies (the key policy, where "*" means the key;
   the queue policies) are not IAM identity statements and are not checked here. No managed policy may be attached.
Exit status 0 when all hold, 1 with one line per violation.
"""
import copy
import os
import re
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

ALIAS = "live"
READ_VERBS = ("Describe", "Get", "List")
VPC_ENI_ACTIONS = {
    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
}
SUB_VARIABLE = re.compile(r"\$\{([^}!.]+)(?:\.[^}]*)?}")


class NoManagedPolicies:
    def load(self):
        raise AssertionError("the template names a managed policy by name")


def translated(sam_template):
    sam_template = copy.deepcopy(sam_template)
    sam_template.setdefault("Globals", {}).setdefault("Function", {})["CodeUri"] = "s3://bucket/key"  # sam package's job
    return transform(sam_template, {}, NoManagedPolicies())["Resources"]


def walk(value, path=""):
    """Every dict in value, with its path."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from walk(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def named(node):
    """The logical ids a Ref, Fn::GetAtt or Fn::Sub node names."""
    if len(node) != 1:
        return []
    kind, value = next(iter(node.items()))
    if kind == "Ref" and isinstance(value, str):
        return [value]
    if kind == "Fn::GetAtt":
        return [value[0] if isinstance(value, list) else value.split(".")[0]]
    if kind == "Fn::Sub":
        text = value[0] if isinstance(value, list) else value
        return SUB_VARIABLE.findall(text)
    return []


def bare_function_references(resources):
    functions = {key for key, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    aliases = {function + "Alias" + ALIAS for function in functions}
    violations, alias_references = [], 0
    for key, resource in resources.items():
        if resource["Type"] in ("AWS::Lambda::Version", "AWS::Lambda::Alias"):
            continue
        qualified = resource["Type"] == "AWS::Lambda::EventInvokeConfig" and resource["Properties"].get("Qualifier") == ALIAS
        for path, node in walk(resource.get("Properties", {})):
            for target in named(node):
                if target in aliases:
                    alias_references += 1
                elif target in functions and not (qualified and path == "/FunctionName"):
                    violations.append(f"{key}{path} names the function {target} itself, not its '{ALIAS}' alias")
    if alias_references == 0:
        violations.append(f"no resource names a '{ALIAS}' alias: the check found nothing to check")
    return violations


def lost_failures(resources):
    violations = []
    for function in (key for key, r in resources.items() if r["Type"] == "AWS::Lambda::Function"):
        callers = {function, function + "Alias" + ALIAS}

        def of_function(resource):
            return bool(set(named(resource["Properties"].get("FunctionName", {}))) & callers)

        configs = [r for r in resources.values() if r["Type"] == "AWS::Lambda::EventInvokeConfig" and of_function(r)]
        if any((c["Properties"].get("DestinationConfig") or {}).get("OnFailure", {}).get("Destination") for c in configs):
            continue
        asynchronous = [k for k, r in resources.items() if r["Type"] == "AWS::Lambda::Permission" and of_function(r)]
        sources = [r for r in resources.values() if r["Type"] == "AWS::Lambda::EventSourceMapping" and of_function(r)]
        queues = [named(s["Properties"].get("EventSourceArn", {})) for s in sources]
        redriven = [q and resources.get(q[0], {}).get("Properties", {}).get("RedrivePolicy", {}).get("deadLetterTargetArn")
                    for q in queues]
        if asynchronous:
            violations.append(f"{function} is invoked asynchronously ({', '.join(asynchronous)}) "
                              "but has no EventInvokeConfig with an OnFailure destination")
        elif not sources or not all(redriven):
            violations.append(f"{function} keeps no failures: no OnFailure destination and not only redriven SQS sources")
    return violations


def branches(value):
    """The values an Fn::If may take (both branches), flattened; AWS::NoValue dropped."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        return [item for branch in value["Fn::If"][1:] for item in branches(branch)]
    if isinstance(value, dict) and value == {"Ref": "AWS::NoValue"}:
        return []
    if isinstance(value, list):
        return [item for element in value for item in branches(element)]
    return [value]


def writes_on_every_resource(resources):
    violations, statements = [], 0
    for key, resource in resources.items():
        if not resource["Type"].startswith("AWS::IAM::"):
            continue
        if resource.get("Properties", {}).get("ManagedPolicyArns"):
            violations.append(f"{key} attaches managed policies (they grant logs and network writes on \"*\")")
        for path, node in walk(resource.get("Properties", {})):
            if "Effect" not in node or ("Action" not in node and "NotAction" not in node):
                continue
            statements += 1
            if "NotAction" in node or "NotResource" in node:
                violations.append(f"{key}{path} uses NotAction or NotResource")
            if node["Effect"] != "Allow" or "*" not in branches(node.get("Resource")):
                continue
            for action in branches(node.get("Action")):
                verb = action.split(":", 1)[-1]
                if "*" in action or not (verb.startswith(READ_VERBS) or action in VPC_ENI_ACTIONS):
                    violations.append(f"{key}{path} allows the write action {action} on Resource \"*\"")
    if statements == 0:
        violations.append("no IAM statement found: the check found nothing to check")
    return violations


RULES = (bare_function_references, lost_failures, writes_on_every_resource)


def violations(resources):
    return [line for rule in RULES for line in rule(resources)]


def self_test(resources):
    """Each rule must catch what it is for, on a broken copy of the real transformed template."""
    broken = {}
    bare = copy.deepcopy(resources)
    mapping = next(r for r in bare.values() if r["Type"] == "AWS::Lambda::EventSourceMapping")
    mapping["Properties"]["FunctionName"] = {"Ref": named(mapping["Properties"]["FunctionName"])[0][:-len("Alias" + ALIAS)]}
    broken[bare_function_references] = bare
    unkept = copy.deepcopy(resources)
    config = next(k for k, r in unkept.items() if r["Type"] == "AWS::Lambda::EventInvokeConfig")
    del unkept[config]
    broken[lost_failures] = unkept
    wide = copy.deepcopy(resources)
    role = next(r for r in wide.values() if r["Type"] == "AWS::IAM::Role")
    role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*"})
    broken[writes_on_every_resource] = wide
    failed = [rule.__name__ for rule, template in broken.items() if not rule(template)]
    if failed:
        sys.exit(f"transformed-template check: the self-test found rules that catch nothing: {', '.join(failed)}")


def main(path):
    with open(path, encoding="utf-8") as file:
        resources = translated(yaml_parse(file.read()))
    self_test(resources)
    found = violations(resources)
    for line in found:
        print(f"transformed-template check: {line}", file=sys.stderr)
    if found:
        return 1
    print(f"transformed-template check: {len(resources)} resources after the SAM translator; "
          f"every reference goes through the '{ALIAS}' alias, every function keeps its failures, "
          "no write action on \"*\" (each rule caught its broken copy first)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "template.yaml"))
