"""Build the portal's static site and publish it to the stack's S3 bucket behind CloudFront.

Steps: run the pre-build step (``python -m portal_site.prebuild``), build with
``mkdocs build -f portal_site/mkdocs.yml``, upload every file with its Content-Type and
Cache-Control, delete objects the new build no longer contains, then invalidate the
CloudFront cache. The bucket and distribution come from the stack's outputs (SiteBucketName,
DistributionId) or from --bucket and --distribution-id.

Run from the repository root:

    python infrastructure/publish_site.py --stack-name advocacy-portal
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import mimetypes
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

REPOSITORY = Path(__file__).resolve().parents[1]
MKDOCS_CONFIG = "portal_site/mkdocs.yml"

BUCKET_OUTPUT = "SiteBucketName"
DISTRIBUTION_OUTPUT = "DistributionId"

# Pages, the sitemap and the search index change with every publish, so browsers revalidate
# them each time. Files whose names carry a content hash (Material's bundle.<hash>.min.js,
# main.<hash>.min.css) never change under the same name. Other assets may change between
# publishes, so browsers keep them for an hour.
REVALIDATE = "public, max-age=0, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_LIVED = "public, max-age=3600"
REVALIDATED_NAMES = {"sitemap.xml", "sitemap.xml.gz", "search_index.json", "feed.ics"}
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}(\.min)?\.(js|css|mjs)$")

# Explicit types for the files a MkDocs Material build contains, so the result does not depend
# on the publishing machine's mime.types file. Other suffixes fall back to mimetypes.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".zip": "application/zip",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"

UPLOAD_THREADS = 8
PROGRESS_EVERY = 50
DELETE_BATCH = 1000  # the maximum number of keys one DeleteObjects request accepts


class PublishError(Exception):
    """A step of publishing failed; the message names the step and what to do next."""


@dataclass(frozen=True)
class SiteFile:
    path: Path
    key: str
    content_type: str
    cache_control: str


def content_type_for(path: Path) -> str:
    """Return the Content-Type to store with a site file, chosen by its suffix."""
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(path.name, strict=True)
    return guessed or DEFAULT_CONTENT_TYPE


def cache_control_for(key: str) -> str:
    """Return the Cache-Control to store with the object at ``key``."""
    name = key.rsplit("/", 1)[-1]
    if name.endswith(".html") or name in REVALIDATED_NAMES:
        return REVALIDATE
    if HASHED_NAME.search(name):
        return IMMUTABLE
    return SHORT_LIVED


def collect_site_files(site_dir: Path) -> list[SiteFile]:
    """List every file of a built site with its object key and headers, sorted by key."""
    if not (site_dir / "index.html").is_file():
        raise PublishError(
            f"{site_dir} has no index.html, so it is not a built site. Build it first or pass "
            "the directory that `mkdocs build` wrote."
        )
    files = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(site_dir).as_posix()
        files.append(SiteFile(path, key, content_type_for(path), cache_control_for(key)))
    return files


def build_site(site_dir: Path) -> None:
    """Run the pre-build step, then mkdocs, from the repository root into ``site_dir``."""
    steps = [
        ("pre-build step", [sys.executable, "-m", "portal_site.prebuild"]),
        ("site build", [sys.executable, "-m", "mkdocs", "build", "-f", MKDOCS_CONFIG, "-d", str(site_dir)]),
    ]
    for name, command in steps:
        print(f"Running the {name}: {' '.join(command)}", flush=True)
        completed = subprocess.run(command, cwd=REPOSITORY, check=False)
        if completed.returncode != 0:
            raise PublishError(
                f"The {name} failed with exit code {completed.returncode}: {' '.join(command)}. "
                "Fix the error printed above and run the publish again."
            )


def stack_outputs(cloudformation, stack_name: str) -> dict[str, str]:
    """Return the outputs of a CloudFormation stack as a name-to-value mapping."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        raise PublishError(
            f"Reading stack {stack_name!r} failed: {error.response['Error']['Message']} "
            "Check --stack-name and --region."
        ) from None
    outputs = stacks[0].get("Outputs", [])
    return {output["OutputKey"]: output["OutputValue"] for output in outputs}


def publish_target(args: argparse.Namespace, session: boto3.session.Session) -> tuple[str, str]:
    """Return the bucket and distribution id, from the arguments or the stack outputs."""
    bucket, distribution_id = args.bucket, args.distribution_id
    if bucket and distribution_id:
        return bucket, distribution_id

    outputs = stack_outputs(session.client("cloudformation"), args.stack_name)
    bucket = bucket or outputs.get(BUCKET_OUTPUT)
    distribution_id = distribution_id or outputs.get(DISTRIBUTION_OUTPUT)
    missing = [name for name, value in ((BUCKET_OUTPUT, bucket), (DISTRIBUTION_OUTPUT, distribution_id)) if not value]
    if missing:
        raise PublishError(
            f"Stack {args.stack_name!r} has no output {' or '.join(missing)}. Deploy template.yaml "
            "to it, or pass --bucket and --distribution-id."
        )
    return bucket, distribution_id


def upload_site(s3, bucket: str, files: list[SiteFile]) -> None:
    """Upload every site file with its Content-Type and Cache-Control, a few in parallel."""
    print(f"Uploading {len(files)} files to s3://{bucket}/", flush=True)

    def upload(site_file: SiteFile) -> None:
        body = site_file.path.read_bytes()
        s3.put_object(
            Bucket=bucket,
            Key=site_file.key,
            Body=body,
            ContentType=site_file.content_type,
            CacheControl=site_file.cache_control,
            ContentMD5=_content_md5(body),
        )

    with ThreadPoolExecutor(max_workers=UPLOAD_THREADS) as pool:
        for done, _result in enumerate(pool.map(upload, files), start=1):
            if done % PROGRESS_EVERY == 0 or done == len(files):
                print(f"  uploaded {done}/{len(files)}", flush=True)


def _content_md5(body: bytes) -> str:
    """Return the base64 MD5 that makes S3 reject a body damaged on the way."""
    return base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode("ascii")


def delete_stale_objects(s3, bucket: str, keep_keys: Iterable[str]) -> int:
    """Delete the objects that the new build does not contain and return how many there were.

    The bucket is versioned, so a deleted page can be restored from its previous version for
    as long as the bucket's lifecycle rule keeps it.
    """
    keep = set(keep_keys)
    stale = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        stale.extend(item["Key"] for item in page.get("Contents", []) if item["Key"] not in keep)

    for start in range(0, len(stale), DELETE_BATCH):
        batch = stale[start : start + DELETE_BATCH]
        response = s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True}
        )
        errors = response.get("Errors", [])
        if errors:
            first = errors[0]
            raise PublishError(
                f"Deleting {len(errors)} stale objects from s3://{bucket}/ failed, for example "
                f"{first['Key']!r}: {first.get('Message', first.get('Code'))}."
            )
    if stale:
        print(f"Deleted {len(stale)} objects that the new build no longer contains", flush=True)
    return len(stale)


def invalidate_distribution(cloudfront, distribution_id: str, wait: bool) -> str:
    """Invalidate every path of the distribution and return the invalidation id."""
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/*"]},
            "CallerReference": f"publish-site-{uuid.uuid4()}",
        },
    )
    invalidation_id = response["Invalidation"]["Id"]
    print(f"Created CloudFront invalidation {invalidation_id} of distribution {distribution_id}", flush=True)
    if wait:
        print("Waiting for CloudFront to finish the invalidation", flush=True)
        cloudfront.get_waiter("invalidation_completed").wait(DistributionId=distribution_id, Id=invalidation_id)
        print("Invalidation completed", flush=True)
    return invalidation_id


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="publish_site.py",
        description=(
            "Build the portal's static site and publish it: upload it to the site bucket with "
            "Content-Type and Cache-Control headers, delete objects it no longer contains, and "
            "invalidate the CloudFront cache. Run it from the repository root."
        ),
    )
    parser.add_argument(
        "--stack-name",
        help="CloudFormation stack of template.yaml; its SiteBucketName and DistributionId outputs "
        "name the bucket and distribution.",
    )
    parser.add_argument("--bucket", help="Site bucket name; overrides the stack's SiteBucketName output.")
    parser.add_argument(
        "--distribution-id", help="CloudFront distribution id; overrides the stack's DistributionId output."
    )
    parser.add_argument("--region", help="AWS region of the stack and bucket (default: your AWS configuration).")
    parser.add_argument("--profile", help="AWS named profile to use (default: your AWS configuration).")
    parser.add_argument(
        "--site-dir",
        type=Path,
        help="Directory that mkdocs builds into (default: a temporary directory, removed afterwards).",
    )
    parser.add_argument(
        "--skip-build",
        action="store_true",
        help="Publish the already built site in --site-dir without running the pre-build step or mkdocs.",
    )
    parser.add_argument(
        "--keep-stale",
        action="store_true",
        help="Keep objects in the bucket that the new build does not contain (default: delete them).",
    )
    parser.add_argument(
        "--wait", action="store_true", help="Wait until CloudFront reports the invalidation as completed."
    )
    args = parser.parse_args(argv)

    if not args.stack_name and not (args.bucket and args.distribution_id):
        parser.error("pass --stack-name, or both --bucket and --distribution-id")
    if args.skip_build and args.site_dir is None:
        parser.error("--skip-build needs --site-dir, the directory of an already built site")
    return args


def publish(args: argparse.Namespace, session: boto3.session.Session) -> None:
    """Build (unless skipped), upload, prune and invalidate, in that order."""
    bucket, distribution_id = publish_target(args, session)

    with tempfile.TemporaryDirectory(prefix="advocacy-site-") as temporary_dir:
        site_dir = args.site_dir or Path(temporary_dir)
        if not args.skip_build:
            build_site(site_dir.resolve())
        files = collect_site_files(site_dir)

        s3 = session.client("s3")
        upload_site(s3, bucket, files)
        if not args.keep_stale:
            delete_stale_objects(s3, bucket, (site_file.key for site_file in files))

    invalidate_distribution(session.client("cloudfront"), distribution_id, args.wait)
    print(f"Published {len(files)} files to s3://{bucket}/ behind distribution {distribution_id}", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        session = boto3.session.Session(region_name=args.region, profile_name=args.profile)
        publish(args, session)
    except PublishError as error:
        print(f"publish_site.py: error: {error}", file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as error:
        print(
            f"publish_site.py: error: an AWS request failed: {error}. Check your credentials "
            "(--profile), --region and the bucket and distribution names.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
