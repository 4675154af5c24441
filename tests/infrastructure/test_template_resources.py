"""What template.yaml declares agrees with the code it deploys: handlers, table, IAM, routes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import boto3
import pytest
from moto import mock_aws

from advocacy.adapters import dynamodb_table
from tests.infrastructure.sam_template import FUNCTIONS_DIR, REPOSITORY, load_template, translate_template
from tests.support.template_table import table_definition_from_template, ttl_attribute_from_template

pytestmark = pytest.mark.infrastructure

EXPECTED_PUBLIC_ROUTES = {
    "GET /api/forums",
    "GET /api/forums/{forum_id}",
    "POST /api/forums/{forum_id}/registrations",
    "GET /api/forums/{forum_id}/registrations/{registration_id}",
    "POST /api/forums/{forum_id}/registrations/{registration_id}/confirm",
    "POST /api/forums/{forum_id}/registrations/{registration_id}/cancel",
    "GET /api/openapi.json",
}
API_FUNCTIONS = ("PublicFunction", "AdvocateFunction", "AdminFunction")
# Every module of the DynamoDB adapter: the store and its per-concept mixins.
STORE_ADAPTERS = tuple(sorted(path.name for path in (FUNCTIONS_DIR / "advocacy" / "adapters").glob("dynamodb_*.py")))

# Prints, per handler module, the "METHOD /path" keys its Powertools resolver registers, in
# API Gateway's {parameter} syntax rather than Powertools' <parameter>.
LIST_RESOLVER_ROUTES_SCRIPT = textwrap.dedent(
    """
    import importlib, json, re, sys

    sys.path.insert(0, sys.argv[1])
    routes = {}
    for handler in sys.argv[2:]:
        module = importlib.import_module(handler.rpartition(".")[0])
        resolver = module.app
        registered = resolver._static_routes + resolver._dynamic_routes
        parameter = re.compile(r"<(\\w+)>")
        routes[handler] = sorted(
            route.method + " " + parameter.sub(r"{\\1}", route.path) for route in registered
        )
    print(json.dumps(routes))
    """
)

REQUIRED_ENVIRONMENT = {
    "ADVOCACY_STORE",
    "ADVOCACY_TABLE_NAME",
    "ADVOCACY_MAILER",
    "ADVOCACY_SENDER",
    "ADVOCACY_PORTAL_URL",
    "ADVOCACY_SIGNING_KEY_PARAMETER",
    "ADVOCACY_ADMIN_EMAILS",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
}

# A fresh interpreter that cannot import Flask or MkDocs imports each handler from functions/,
# as Lambda would after `sam build` (which packages functions/ and its requirements only).
IMPORT_HANDLERS_SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, json, sys

    BLOCKED = ("flask", "mkdocs", "material", "localdev", "portal_site")

    class BlockLocalOnlyPackages(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is local-only and is not packaged into Lambda")
            return None

    sys.meta_path.insert(0, BlockLocalOnlyPackages())
    sys.path.insert(0, sys.argv[1])
    results = {}
    for handler in sys.argv[2:]:
        module_name, _, attribute = handler.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except Exception as error:
            results[handler] = f"import failed: {type(error).__name__}: {error}"
            continue
        if not callable(getattr(module, attribute, None)):
            results[handler] = f"{module_name} has no callable {attribute!r}"
        elif not module.__file__.startswith(sys.argv[1]):
            results[handler] = f"imported from {module.__file__}, not from functions/"
        else:
            results[handler] = "ok"
    print(json.dumps(results))
    """
)


@pytest.fixture(scope="module")
def template() -> dict:
    return load_template()


@pytest.fixture(scope="module")
def translated() -> dict:
    return translate_template()


def resources_of_type(template: dict, resource_type: str) -> dict:
    return {name: resource for name, resource in template["Resources"].items() if resource["Type"] == resource_type}


def function_handlers(template: dict) -> dict[str, str]:
    functions = resources_of_type(template, "AWS::Serverless::Function")
    return {name: resource["Properties"]["Handler"] for name, resource in functions.items()}


def granted_actions(translated: dict, function_name: str) -> set[str]:
    """Return every action the function's execution role allows in its inline policies."""
    role_name = translated["Resources"][function_name]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = translated["Resources"][role_name]["Properties"]
    actions = set()
    for policy in role.get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Allow":
                listed = statement["Action"]
                actions.update([listed] if isinstance(listed, str) else listed)
    return actions


def dynamodb_actions_called_by_store() -> set[str]:
    """Return the IAM actions behind the DynamoDB calls that the store adapters make.

    Inside TransactWriteItems, IAM checks each Put, Update, Delete and ConditionCheck as the
    single-item action of the same name.
    """
    source = "\n".join(
        (FUNCTIONS_DIR / "advocacy" / "adapters" / name).read_text(encoding="utf-8") for name in STORE_ADAPTERS
    )
    client_calls = {
        "get_item": "dynamodb:GetItem",
        "batch_get_item": "dynamodb:BatchGetItem",
        "put_item": "dynamodb:PutItem",
        "update_item": "dynamodb:UpdateItem",
        "delete_item": "dynamodb:DeleteItem",
        "query": "dynamodb:Query",
        "scan": "dynamodb:Scan",
        "batch_write_item": "dynamodb:BatchWriteItem",
        "transact_get_items": "dynamodb:GetItem",
    }
    transaction_items = {
        "Put": "dynamodb:PutItem",
        "Update": "dynamodb:UpdateItem",
        "Delete": "dynamodb:DeleteItem",
        "ConditionCheck": "dynamodb:ConditionCheckItem",
    }
    actions = {action for call, action in client_calls.items() if re.search(rf"\.{call}\(", source)}
    actions |= {action for item, action in transaction_items.items() if re.search(rf"[\"']{item}[\"']\s*:", source)}
    return actions


def test_handlers_import_without_local_only_packages(template):
    handlers = sorted(set(function_handlers(template).values()))
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_HANDLERS_SCRIPT, str(FUNCTIONS_DIR), *handlers],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    results = json.loads(completed.stdout)

    for handler in handlers:
        assert results[handler] == "ok", f"Handler {handler} in template.yaml: {results[handler]}"


def test_scheduled_jobs_exist_in_jobs_handler(template):
    events = template["Resources"]["JobsFunction"]["Properties"]["Events"]
    scheduled = sorted(json.loads(event["Properties"]["Input"])["job"] for event in events.values())
    script = "import json, sys; sys.path.insert(0, sys.argv[1]); from advocacy.handlers.jobs import JOBS; print(json.dumps(sorted(JOBS)))"
    completed = subprocess.run(
        [sys.executable, "-c", script, str(FUNCTIONS_DIR)], capture_output=True, text=True, check=False, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    known_jobs = json.loads(completed.stdout)

    for job in scheduled:
        assert job in known_jobs, f"template.yaml schedules {job!r}, which advocacy.handlers.jobs does not define"


def test_table_attributes_match_adapter():
    from_template = table_definition_from_template("portal")
    from_adapter = dynamodb_table.table_definition("portal")

    def by_name(attributes):
        return sorted(attributes, key=lambda attribute: attribute["AttributeName"])

    assert by_name(from_template["AttributeDefinitions"]) == by_name(from_adapter["AttributeDefinitions"])


def test_table_key_schema_matches_adapter():
    from_template = table_definition_from_template("portal")
    from_adapter = dynamodb_table.table_definition("portal")

    assert from_template["KeySchema"] == from_adapter["KeySchema"]


def test_table_indexes_match_adapter():
    from_template = table_definition_from_template("portal")
    from_adapter = dynamodb_table.table_definition("portal")

    def by_name(indexes):
        return {index["IndexName"]: index for index in indexes}

    assert by_name(from_template["GlobalSecondaryIndexes"]) == by_name(from_adapter["GlobalSecondaryIndexes"])


def test_table_billing_mode_matches_adapter():
    assert table_definition_from_template("portal")["BillingMode"] == dynamodb_table.table_definition("portal")["BillingMode"]


def test_table_ttl_attribute_matches_adapter():
    assert ttl_attribute_from_template() == dynamodb_table.TTL_ATTRIBUTE


def test_table_protections_enabled(template):
    table = template["Resources"]["Table"]
    properties = table["Properties"]

    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    assert properties["DeletionProtectionEnabled"] is True
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}


def test_template_table_definition_creates_table_on_moto(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)

    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(**table_definition_from_template("portal-from-template"))
        described = client.describe_table(TableName="portal-from-template")["Table"]

    assert {index["IndexName"] for index in described["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2"}


def routes_by_function(template: dict) -> dict[str, set[str]]:
    """Return the route keys of the template, grouped by the function their integration calls."""
    integrations = resources_of_type(template, "AWS::ApiGatewayV2::Integration")
    grouped: dict[str, set[str]] = {}
    for route in resources_of_type(template, "AWS::ApiGatewayV2::Route").values():
        integration_name = route["Properties"]["Target"]["Fn::Sub"].removeprefix("integrations/${").removesuffix("}")
        function_name = integrations[integration_name]["Properties"]["IntegrationUri"]["Fn::GetAtt"][0]
        grouped.setdefault(function_name, set()).add(route["Properties"]["RouteKey"])
    return grouped


def function_for_path(template: dict, path: str) -> str | None:
    """Return the function API Gateway sends ``path`` to: the longest matching greedy route wins."""
    best, best_length = None, -1
    for function_name, route_keys in routes_by_function(template).items():
        for route_key in route_keys:
            prefix = route_key.split(" ", 1)[1].removesuffix("{proxy+}")
            if path.startswith(prefix) and len(prefix) > best_length:
                best, best_length = function_name, len(prefix)
    return best


def test_public_function_serves_required_routes(template):
    for route in EXPECTED_PUBLIC_ROUTES:
        assert function_for_path(template, route.split(" ", 1)[1]) == "PublicFunction", route


def test_api_routes_are_greedy_per_audience(template):
    keys = {key for keys in routes_by_function(template).values() for key in keys}

    assert keys == {"ANY /api/{proxy+}", "ANY /api/me/{proxy+}", "ANY /api/admin/{proxy+}"}


def test_every_handler_route_reaches_its_function(template):
    handlers = function_handlers(template)
    api_handlers = [handlers[name] for name in API_FUNCTIONS]
    completed = subprocess.run(
        [sys.executable, "-c", LIST_RESOLVER_ROUTES_SCRIPT, str(FUNCTIONS_DIR), *api_handlers],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    resolver_routes = json.loads(completed.stdout)

    for function_name in API_FUNCTIONS:
        for route in resolver_routes[handlers[function_name]]:
            path = route.split(" ", 1)[1]
            assert function_for_path(template, path) == function_name, f"{route} would reach {function_for_path(template, path)}"


def test_routes_target_payload_v2_integrations(template):
    integrations = resources_of_type(template, "AWS::ApiGatewayV2::Integration")
    for name, route in resources_of_type(template, "AWS::ApiGatewayV2::Route").items():
        target = route["Properties"]["Target"]["Fn::Sub"]
        integration_name = target.removeprefix("integrations/${").removesuffix("}")
        assert integration_name in integrations, f"{name} targets unknown integration {target}"
        assert integrations[integration_name]["Properties"]["PayloadFormatVersion"] == "2.0"


def test_api_stage_throttles_and_logs(template):
    stage = resources_of_type(template, "AWS::ApiGatewayV2::Stage")["HttpApiStage"]["Properties"]

    assert "ThrottlingRateLimit" in stage["DefaultRouteSettings"]
    assert "ThrottlingBurstLimit" in stage["DefaultRouteSettings"]
    assert "DestinationArn" in stage["AccessLogSettings"]


def test_functions_share_required_environment(template):
    variables = template["Globals"]["Function"]["Environment"]["Variables"]

    assert REQUIRED_ENVIRONMENT <= set(variables), sorted(REQUIRED_ENVIRONMENT - set(variables))


def test_every_function_logs_to_group_with_retention(template):
    log_groups = resources_of_type(template, "AWS::Logs::LogGroup")
    for name, function in resources_of_type(template, "AWS::Serverless::Function").items():
        log_group_ref = function["Properties"].get("LoggingConfig", {}).get("LogGroup", {}).get("Ref")
        assert log_group_ref in log_groups, f"{name} has no log group of this template"
        assert "RetentionInDays" in log_groups[log_group_ref]["Properties"], f"{log_group_ref} keeps logs forever"


def test_every_function_has_error_and_throttle_alarms(template):
    alarms = resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    watched = {
        (alarm["Properties"]["MetricName"], dimension["Value"].get("Ref"))
        for alarm in alarms
        for dimension in alarm["Properties"]["Dimensions"]
        if isinstance(dimension["Value"], dict)
    }
    for name in resources_of_type(template, "AWS::Serverless::Function"):
        assert ("Errors", name) in watched, f"{name} has no Errors alarm"
        assert ("Throttles", name) in watched, f"{name} has no Throttles alarm"


@pytest.mark.parametrize("function_name", [*API_FUNCTIONS, "JobsFunction"])
def test_function_role_never_scans(translated, function_name):
    actions = granted_actions(translated, function_name)

    assert "dynamodb:Scan" not in actions
    assert not any(action.endswith("*") for action in actions), sorted(actions)


@pytest.mark.parametrize("function_name", API_FUNCTIONS)
def test_api_function_granted_store_actions(translated, function_name):
    missing = dynamodb_actions_called_by_store() - granted_actions(translated, function_name)

    assert missing == set(), f"the DynamoDB adapters call {sorted(missing)}, which {function_name}'s role does not allow"


@pytest.mark.parametrize("function_name", ["AdvocateFunction"])
def test_function_without_email_cannot_send(translated, function_name):
    actions = granted_actions(translated, function_name)

    assert not any(action.startswith("ses:") for action in actions), sorted(actions)


@pytest.mark.parametrize("function_name", ["PublicFunction", "AdminFunction", "JobsFunction"])
def test_sending_function_sends_only_as_sender_identity(translated, function_name):
    role_name = translated["Resources"][function_name]["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = [
        statement
        for policy in translated["Resources"][role_name]["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        if any(action.startswith("ses:") for action in statement["Action"])
    ]

    assert len(statements) == 1
    assert "*" not in json.dumps(statements[0]["Resource"])


def test_every_schedule_runs_a_known_job(template):
    from advocacy.handlers.jobs import JOBS

    events = template["Resources"]["JobsFunction"]["Properties"]["Events"]
    scheduled = {json.loads(event["Properties"]["Input"])["job"] for event in events.values() if event["Type"] == "Schedule"}

    assert scheduled - set(JOBS) == set()
    assert {"expire_registrations", "send_reminders", "send_thank_yous", "request_profile_reviews"} <= scheduled
