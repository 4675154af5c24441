"""template.yaml and infrastructure/waf.yaml pass cfn-lint and checkov offline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infrastructure.sam_template import (
    TEMPLATE_PATH,
    WAF_TEMPLATE_PATH,
    describe_findings,
    errors_only,
    load_template,
    run_cfn_lint,
    translate_template,
)

pytestmark = pytest.mark.infrastructure


@pytest.fixture(scope="module")
def translated_template_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("translated") / "template.json"
    path.write_text(json.dumps(translate_template(), indent=1), encoding="utf-8")
    return path


def test_translated_template_has_no_cfn_lint_errors(translated_template_file):
    findings = run_cfn_lint(translated_template_file.read_text(encoding="utf-8"))

    assert errors_only(findings) == [], describe_findings(findings)


def test_waf_template_has_no_cfn_lint_errors():
    findings = run_cfn_lint(WAF_TEMPLATE_PATH.read_text(encoding="utf-8"))

    assert errors_only(findings) == [], describe_findings(findings)


def run_checkov(template_file: Path) -> dict:
    """Run checkov's CloudFormation checks on one file and return its JSON report."""
    checkov = shutil.which("checkov", path=str(Path(sys.executable).parent)) or shutil.which("checkov")
    if checkov is None:
        pytest.fail("checkov is not installed; install the dev extras: pip install -e '.[dev]'")
    completed = subprocess.run(
        [checkov, "-f", str(template_file), "--framework", "cloudformation",
         "--skip-download", "--quiet", "--compact", "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if not completed.stdout.strip():
        pytest.fail(f"checkov printed no report for {template_file}: {completed.stderr.strip()}")
    report = json.loads(completed.stdout)
    # checkov prints a list when more than one runner reports, and a bare summary when no
    # check ran at all.
    reports = report if isinstance(report, list) else [report]
    return next((item for item in reports if item.get("check_type") == "cloudformation"), reports[0])


def failed_check_lines(report: dict) -> str:
    failed = report.get("results", {}).get("failed_checks", [])
    return "\n".join(f"{check['check_id']} {check['resource']}: {check['check_name']}" for check in failed)


@pytest.mark.parametrize(
    "template_name",
    ["template.yaml", "translated template.yaml", "infrastructure/waf.yaml"],
)
def test_template_has_no_failed_checkov_checks(template_name, translated_template_file):
    template_file = {
        "template.yaml": TEMPLATE_PATH,
        "translated template.yaml": translated_template_file,
        "infrastructure/waf.yaml": WAF_TEMPLATE_PATH,
    }[template_name]

    report = run_checkov(template_file)

    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["failed"] == 0, failed_check_lines(report)
    assert report["summary"]["passed"] > 0


@pytest.mark.parametrize("template_path", [TEMPLATE_PATH, WAF_TEMPLATE_PATH], ids=["template.yaml", "waf.yaml"])
def test_checkov_skip_has_reason(template_path):
    resources = load_template(template_path)["Resources"]
    for name, resource in resources.items():
        skips = resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
        for skip in skips:
            assert skip.get("id", "").startswith("CKV"), f"{name}: checkov skip without a check id"
            assert len(skip.get("comment", "").strip()) >= 20, f"{name}: skip of {skip.get('id')} gives no reason"
