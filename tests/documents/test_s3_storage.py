"""Documents on S3-compatible storage (a real S3 server, ``tests/servers.py``), with the
storage settings.py makes from an operator's variables: an upload lands in the private
bucket under the configured prefix and nowhere else, is downloaded only through the
app's permission-checked view (streamed, logged, with the app's headers), and a file
whose content is not what its name says is still refused, leaving the bucket empty."""

import boto3
import pytest
from django.urls import reverse

from clientfolio.documents.models import Document, DownloadLog
from tests.documents.factories import PDF, upload
from tests.servers import s3_site

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3():
    yield from s3_site("cf-documents")


@pytest.fixture
def bucket(s3, settings):
    settings.STORAGES = {**settings.STORAGES, "default": s3["default"]}
    environment = s3["environment"]
    client = boto3.client(
        "s3",
        endpoint_url=environment["AWS_S3_ENDPOINT_URL"],
        region_name=environment["AWS_S3_REGION_NAME"],
    )
    name = environment["AWS_STORAGE_BUCKET_NAME"]

    def keys() -> list[str]:
        listed = client.list_objects_v2(Bucket=name).get("Contents", [])
        return sorted(item["Key"] for item in listed)

    yield client, name, keys
    for key in keys():
        client.delete_object(Bucket=name, Key=key)


def test_an_upload_is_a_private_object_downloaded_through_the_app(
    project, as_persona, bucket, media_root
):
    client, name, keys = bucket

    response = as_persona("member").post(
        reverse("documents:upload", args=[project.pk]),
        {"files": [upload("一期实施合同.pdf")], "visibility": "internal"},
    )

    assert response.status_code == 302
    version = Document.objects.get().current_version
    assert keys() == [f"clientfolio/{version.file.name}"]
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))
    grants = client.get_object_acl(Bucket=name, Key=keys()[0])["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert "URI" not in grants[0]["Grantee"]  # the owner's, not AllUsers'

    download = reverse("documents:version_download", args=[project.pk, version.pk])
    assert as_persona("staff").get(download).status_code == 404  # not on the project
    response = as_persona("viewer").get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert DownloadLog.objects.get().version == version


@pytest.mark.parametrize(
    ("file_name", "content"),
    [("合同.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100), ("图片.png", PDF)],
)
def test_a_disguised_file_is_refused_and_nothing_reaches_the_bucket(
    project, as_persona, bucket, file_name, content
):
    _client, _name, keys = bucket

    response = as_persona("member").post(
        reverse("documents:upload", args=[project.pk]),
        {"files": [upload(file_name, content)], "visibility": "internal"},
    )

    assert response.status_code == 400
    assert not Document.objects.exists()
    assert keys() == []
