"""The DynamoDB table as template.yaml declares it, as keyword arguments of ``create_table``.

Tests build the table on moto from this, so the store is checked against the layout that
AWS will create rather than against a copy of it.
"""

from __future__ import annotations

import copy
from pathlib import Path

from samtranslator.yaml_helper import yaml_parse

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "template.yaml"
TABLE_RESOURCE = "Table"

# Properties of the template's table that create_table accepts under the same name.
CREATE_TABLE_PROPERTIES = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")


def template_table_properties(template_path: Path = TEMPLATE_PATH) -> dict:
    """Return the Properties of the table resource in the template."""
    template = yaml_parse(template_path.read_text(encoding="utf-8"))
    resource = template["Resources"][TABLE_RESOURCE]
    if resource["Type"] != "AWS::DynamoDB::Table":
        raise ValueError(
            f"Resource {TABLE_RESOURCE!r} in {template_path} is a {resource['Type']}, "
            "expected AWS::DynamoDB::Table."
        )
    return resource["Properties"]


def table_definition_from_template(table_name: str, template_path: Path = TEMPLATE_PATH) -> dict:
    """Return ``create_table`` keyword arguments for the template's table, named ``table_name``."""
    properties = template_table_properties(template_path)
    definition = {"TableName": table_name}
    for name in CREATE_TABLE_PROPERTIES:
        if name in properties:
            definition[name] = copy.deepcopy(properties[name])
    return definition


def ttl_attribute_from_template(template_path: Path = TEMPLATE_PATH) -> str | None:
    """Return the TTL attribute the template enables, or None when TTL is off."""
    ttl = template_table_properties(template_path).get("TimeToLiveSpecification", {})
    return ttl.get("AttributeName") if ttl.get("Enabled") else None
