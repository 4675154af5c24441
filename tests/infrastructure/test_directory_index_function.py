"""The CloudFront Function that maps directory URLs to MkDocs' index.html files."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.infrastructure.sam_template import REPOSITORY, load_template

pytestmark = pytest.mark.infrastructure

FUNCTION_FILE = REPOSITORY / "infrastructure" / "cloudfront" / "directory_index.js"

# Evaluates the function file in Node.js with one viewer-request event and prints the result.
RUN_HANDLER_SCRIPT = """
const fs = require('fs');
const source = fs.readFileSync(process.argv[1], 'utf8');
const handler = new Function(source + '\\nreturn handler;')();
process.stdout.write(JSON.stringify(handler(JSON.parse(process.argv[2]))));
"""


def code_without_header(text: str) -> str:
    lines = text.splitlines()
    while lines and (lines[0].startswith("//") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()


def run_handler(uri: str, querystring: dict | None = None) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed; the CloudFront Function cannot run here")
    event = {"version": "1.0", "request": {"method": "GET", "uri": uri, "querystring": querystring or {}, "headers": {}}}
    completed = subprocess.run(
        [node, "-e", RUN_HANDLER_SCRIPT, str(FUNCTION_FILE), json.dumps(event)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(completed.stdout)


def test_template_embeds_function_file():
    embedded = load_template()["Resources"]["DirectoryIndexFunction"]["Properties"]["FunctionCode"]

    assert code_without_header(embedded) == code_without_header(FUNCTION_FILE.read_text(encoding="utf-8"))


def test_directory_uri_gets_index_html():
    assert run_handler("/forums/")["uri"] == "/forums/index.html"


def test_root_uri_gets_index_html():
    assert run_handler("/")["uri"] == "/index.html"


def test_file_uri_unchanged():
    assert run_handler("/assets/javascripts/bundle.a5f9d56c.min.js")["uri"] == "/assets/javascripts/bundle.a5f9d56c.min.js"


def test_uri_without_slash_redirects():
    response = run_handler("/forums")

    assert response["statusCode"] == 301
    assert response["headers"]["location"]["value"] == "/forums/"


def test_redirect_keeps_query_string():
    querystring = {
        "forum": {"value": "f-1"},
        "tag": {"value": "a", "multiValue": [{"value": "a"}, {"value": "b"}]},
    }

    response = run_handler("/register", querystring)

    assert response["headers"]["location"]["value"] == "/register/?forum=f-1&tag=a&tag=b"
