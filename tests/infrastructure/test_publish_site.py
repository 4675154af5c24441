"""infrastructure/publish_site.py against moto's S3, CloudFront and CloudFormation."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from infrastructure import publish_site

pytestmark = pytest.mark.infrastructure

REGION = "eu-west-1"
BUCKET = "advocacy-site-test"

SITE_FILES = {
    "index.html": "<!doctype html><title>Forums</title>",
    "forums/index.html": "<!doctype html><title>Upcoming forums</title>",
    "assets/javascripts/bundle.a5f9d56c.min.js": "console.log('bundle');",
    "assets/stylesheets/main.8608ea7d.min.css": "body{}",
    "assets/stylesheets/extra.css": "main{}",
    "assets/images/favicon.png": "png",
    "search/search_index.json": "{}",
    "sitemap.xml": "<urlset/>",
    "fonts/inter.woff2": "font",
}


@pytest.fixture
def aws(monkeypatch):
    """Dummy credentials that AWS rejects, and moto in place of every AWS endpoint."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def site_dir(tmp_path):
    root = tmp_path / "site"
    for key, text in SITE_FILES.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def bucket(aws):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=BUCKET, Key="old-page/index.html", Body=b"removed from the site")
    return BUCKET


@pytest.fixture
def distribution_id(aws, bucket):
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    response = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "publish-site-test",
            "Comment": "test",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site-bucket",
                        "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site-bucket",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
            },
        }
    )
    return response["Distribution"]["Id"]


@pytest.fixture
def stack_name(aws, bucket, distribution_id):
    """A stack whose outputs name the bucket and distribution, as template.yaml's do."""
    template = {
        "Resources": {"AlarmTopic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "SiteBucketName": {"Value": bucket},
            "DistributionId": {"Value": distribution_id},
        },
    }
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(StackName="advocacy-portal", TemplateBody=json.dumps(template))
    return "advocacy-portal"


def head(key: str) -> dict:
    return boto3.client("s3", region_name=REGION).head_object(Bucket=BUCKET, Key=key)


def object_keys() -> set[str]:
    listing = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def invalidation_paths(distribution_id: str) -> list[list[str]]:
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    summaries = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items", [])
    return [
        cloudfront.get_invalidation(DistributionId=distribution_id, Id=summary["Id"])["Invalidation"][
            "InvalidationBatch"
        ]["Paths"]["Items"]
        for summary in summaries
    ]


def publish_arguments(site_dir, *extra: str) -> list[str]:
    return ["--skip-build", "--site-dir", str(site_dir), "--region", REGION, *extra]


def test_publish_uploads_every_file(site_dir, bucket, distribution_id):
    exit_code = publish_site.main(publish_arguments(site_dir, "--bucket", bucket, "--distribution-id", distribution_id))

    assert exit_code == 0
    assert object_keys() == set(SITE_FILES)


@pytest.mark.parametrize(
    ("key", "content_type"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("assets/javascripts/bundle.a5f9d56c.min.js", "text/javascript; charset=utf-8"),
        ("assets/stylesheets/main.8608ea7d.min.css", "text/css; charset=utf-8"),
        ("assets/images/favicon.png", "image/png"),
        ("search/search_index.json", "application/json"),
        ("sitemap.xml", "application/xml"),
        ("fonts/inter.woff2", "font/woff2"),
    ],
)
def test_publish_sets_content_type(site_dir, bucket, distribution_id, key, content_type):
    publish_site.main(publish_arguments(site_dir, "--bucket", bucket, "--distribution-id", distribution_id))

    assert head(key)["ContentType"] == content_type


@pytest.mark.parametrize(
    ("key", "cache_control"),
    [
        ("index.html", publish_site.REVALIDATE),
        ("forums/index.html", publish_site.REVALIDATE),
        ("search/search_index.json", publish_site.REVALIDATE),
        ("assets/javascripts/bundle.a5f9d56c.min.js", publish_site.IMMUTABLE),
        ("assets/stylesheets/main.8608ea7d.min.css", publish_site.IMMUTABLE),
        ("assets/stylesheets/extra.css", publish_site.SHORT_LIVED),
    ],
)
def test_publish_sets_cache_control(site_dir, bucket, distribution_id, key, cache_control):
    publish_site.main(publish_arguments(site_dir, "--bucket", bucket, "--distribution-id", distribution_id))

    assert head(key)["CacheControl"] == cache_control


def test_publish_deletes_stale_objects(site_dir, bucket, distribution_id):
    publish_site.main(publish_arguments(site_dir, "--bucket", bucket, "--distribution-id", distribution_id))

    assert "old-page/index.html" not in object_keys()


def test_publish_keeps_stale_objects_when_asked(site_dir, bucket, distribution_id):
    publish_site.main(
        publish_arguments(site_dir, "--bucket", bucket, "--distribution-id", distribution_id, "--keep-stale")
    )

    assert "old-page/index.html" in object_keys()


def test_publish_invalidates_every_path(site_dir, bucket, distribution_id):
    publish_site.main(publish_arguments(site_dir, "--bucket", bucket, "--distribution-id", distribution_id))

    assert invalidation_paths(distribution_id) == [["/*"]]


def test_publish_reads_stack_outputs(site_dir, stack_name, distribution_id):
    exit_code = publish_site.main(publish_arguments(site_dir, "--stack-name", stack_name))

    assert exit_code == 0
    assert "index.html" in object_keys()
    assert invalidation_paths(distribution_id) == [["/*"]]


def test_publish_reports_unknown_stack(site_dir, aws, capsys):
    exit_code = publish_site.main(publish_arguments(site_dir, "--stack-name", "no-such-stack"))

    assert exit_code == 1
    assert "Reading stack 'no-such-stack' failed" in capsys.readouterr().err


def test_publish_rejects_directory_without_index(tmp_path, bucket, distribution_id, capsys):
    (tmp_path / "notes.txt").write_text("not a site", encoding="utf-8")

    exit_code = publish_site.main(publish_arguments(tmp_path, "--bucket", bucket, "--distribution-id", distribution_id))

    assert exit_code == 1
    assert "has no index.html" in capsys.readouterr().err
    assert "old-page/index.html" in object_keys()


def test_publish_requires_target(site_dir, capsys):
    with pytest.raises(SystemExit) as exit_info:
        publish_site.main(["--skip-build", "--site-dir", str(site_dir), "--bucket", BUCKET])

    assert exit_info.value.code == 2
    assert "--distribution-id" in capsys.readouterr().err
