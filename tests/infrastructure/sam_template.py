"""Read template.yaml and translate it offline, the way `sam build` and CloudFormation would.

cfn-lint (1.54 and later) skips references inside SAM resources, so the checks lint the
translated template, in which every SAM resource is plain CloudFormation.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from unittest import mock

from cfnlint.api import lint
from cfnlint.rules import Match
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

REPOSITORY = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPOSITORY / "template.yaml"
WAF_TEMPLATE_PATH = REPOSITORY / "infrastructure" / "waf.yaml"
FUNCTIONS_DIR = REPOSITORY / "functions"

# `sam package` replaces local paths with S3 locations, and the translator accepts only those.
PACKAGED_CODE_URI = "s3://advocacy-portal-artifacts/functions.zip"
PACKAGED_TEMPLATE_URL = "https://advocacy-portal-artifacts.s3.amazonaws.com/waf.template"

TRANSLATION_REGION = "eu-west-1"
# The portal stack may be deployed in any region; the WAF and the certificate only in us-east-1.
LINT_REGIONS = ("eu-west-1", "us-east-1")
PARAMETER_VALUES = {
    "SenderAddress": "advocacy@example.com",
    "FirstAdminEmails": "admin@example.com",
}


class NoManagedPolicies(ManagedPolicyLoader):
    """Managed-policy map for the translator, built without calling IAM.

    The template names no managed policy in Policies, so the map stays empty. SAM builds the
    ARN of the basic execution role itself.
    """

    def __init__(self):
        super().__init__(iam_client=None)

    def load(self) -> dict[str, str]:
        return {}


def load_template(path: Path = TEMPLATE_PATH) -> dict:
    """Parse a template with CloudFormation short tags (!Ref, !Sub, !GetAtt)."""
    return yaml_parse(path.read_text(encoding="utf-8"))


def packaged(template: dict) -> dict:
    """Return a copy with local code and nested-stack paths replaced as `sam package` does."""
    template = copy.deepcopy(template)
    globals_function = template.get("Globals", {}).get("Function", {})
    if "CodeUri" in globals_function:
        globals_function["CodeUri"] = PACKAGED_CODE_URI
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function" and "CodeUri" in properties:
            properties["CodeUri"] = PACKAGED_CODE_URI
        if resource["Type"] == "AWS::CloudFormation::Stack":
            properties["TemplateURL"] = PACKAGED_TEMPLATE_URL
    return template


def translate_template(path: Path = TEMPLATE_PATH) -> dict:
    """Translate the SAM template to plain CloudFormation without any AWS call."""
    environment = {"AWS_DEFAULT_REGION": TRANSLATION_REGION, "AWS_REGION": TRANSLATION_REGION}
    with mock.patch.dict(os.environ, environment):
        return transform(packaged(load_template(path)), dict(PARAMETER_VALUES), NoManagedPolicies())


def run_cfn_lint(template_text: str, regions: tuple[str, ...] = LINT_REGIONS) -> list[Match]:
    """Lint one template (YAML or JSON text) with cfn-lint's library and return its findings."""
    return lint(template_text, regions=list(regions))


def errors_only(findings: list[Match]) -> list[Match]:
    """Keep the findings of level error (cfn-lint rule ids starting with E)."""
    return [finding for finding in findings if finding.rule.id.startswith("E")]


def describe_findings(findings: list[Match]) -> str:
    """Format cfn-lint findings one a line, for assertion messages."""
    return "\n".join(
        f"{finding.rule.id} line {finding.linenumber}: {finding.message}" for finding in findings
    )
