"""Meeting documents: checked by content, stored privately, downloaded only by those who see
the meeting."""

import io
import logging
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from governance import services
from governance.models import MeetingAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def private_media(_private_media):
    return _private_media


@pytest.fixture
def meeting(county):
    return services.meeting_schedule(
        group=county.group_a,
        kind="council",
        title="理事会议",
        starts_at=timezone.now(),
        place="会议室",
        by=county.chair,
    )


def upload(client, meeting, name, content):
    url = reverse("dashboard:meeting-act", args=[meeting.pk, "attach"])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_document_is_stored_privately_under_a_random_name(client, county, meeting, private_media):
    client.force_login(county.chair)
    upload(client, meeting, "年度计划.pdf", PDF)
    attachment = MeetingAttachment.objects.get()
    stored = private_media / attachment.file.name
    assert stored.read_bytes() == PDF
    assert attachment.file.name.startswith("meetings/") and "年度计划" not in attachment.file.name
    assert (attachment.original_name, attachment.content_type) == (
        "年度计划.pdf",
        "application/pdf",
    )


def test_the_type_comes_from_the_content_not_the_name(client, county, meeting):
    client.force_login(county.chair)
    page = upload(client, meeting, "invoice.pdf", b"MZ\x90\x00 not a pdf").content.decode()
    assert "仅接受" in page
    assert not MeetingAttachment.objects.exists()
    upload(client, meeting, "方案", docx())
    assert MeetingAttachment.objects.get().file.name.endswith(".docx")


def test_files_over_the_limit_are_refused(client, county, meeting, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(county.chair)
    page = upload(client, meeting, "big.pdf", PDF + b"0" * (1024 * 1024)).content.decode()
    assert "1 MB" in page
    assert not MeetingAttachment.objects.exists()


def test_downloads_follow_the_meetings_scope(client, county, meeting):
    client.force_login(county.chair)
    upload(client, meeting, "纪要.pdf", PDF)
    url = reverse("dashboard:attachment", args=[MeetingAttachment.objects.get().pk])
    client.force_login(county.teacher_a1)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment;" in response["Content-Disposition"]
    client.force_login(county.principal_b1)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_only_officers_attach_documents(client, county, meeting):
    client.force_login(county.principal_a1)
    assert upload(client, meeting, "x.pdf", PDF).status_code == 403
    assert not MeetingAttachment.objects.exists()


def test_no_url_serves_the_private_folder(client, county, meeting):
    client.force_login(county.chair)
    upload(client, meeting, "x.pdf", PDF)
    stored = MeetingAttachment.objects.get().file.name
    for prefix in ("/media/", "/private-media/", "/static/"):
        assert client.get(prefix + stored).status_code == 404


def test_attachments_over_the_api(api, county, meeting):
    api.force_authenticate(county.chair)
    url = f"/api/v1/meetings/{meeting.pk}/attachments/"
    response = api.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["attachments"][0]["original_name"] == "a.pdf"
    bad = api.post(url, {"file": SimpleUploadedFile("a.pdf", b"<script>")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()


def test_a_download_whose_stored_file_is_gone_is_a_logged_404(
    client, county, meeting, private_media, caplog
):
    client.force_login(county.chair)
    upload(client, meeting, "纪要.pdf", PDF)
    attachment = MeetingAttachment.objects.get()
    (private_media / attachment.file.name).unlink()  # e.g. a database restored without files
    caplog.set_level(logging.ERROR, logger="alliance.uploads")
    response = client.get(reverse("dashboard:attachment", args=[attachment.pk]))
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]
    assert f"MeetingAttachment {attachment.pk}" in caplog.text
    assert attachment.file.name in caplog.text


@pytest.fixture
def attachment(county, meeting):
    upload = SimpleUploadedFile("会议纪要 2024.pdf", PDF)
    return services.attachment_add(meeting=meeting, upload=upload, by=county.chair)


def with_token(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return api


def test_an_integrator_downloads_with_a_token(api, county, attachment):
    url = reverse("api:attachment-download", args=[attachment.pk])
    # Any Accept an HTTP library sends: the answer is the file, in its own type.
    response = with_token(api, county.teacher_a1).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81%202024.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"  # not left in a shared browser


def test_the_api_download_follows_the_meetings_scope(api, county, attachment):
    url = reverse("api:attachment-download", args=[attachment.pk])
    assert api.get(url).status_code == 401
    hidden = with_token(api, county.principal_b1).get(url, HTTP_ACCEPT="application/pdf")
    assert hidden.status_code == 404
    assert list(hidden.json()) == ["detail"]
    missing = reverse("api:attachment-download", args=[attachment.pk + 1])
    assert api.get(missing).status_code == 404


def test_an_api_download_whose_stored_file_is_gone_is_a_logged_json_404(
    api, county, attachment, private_media, caplog
):
    (private_media / attachment.file.name).unlink()
    caplog.set_level(logging.ERROR, logger="alliance.uploads")
    url = reverse("api:attachment-download", args=[attachment.pk])
    response = with_token(api, county.chair).get(url)
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]
    assert f"MeetingAttachment {attachment.pk}" in caplog.text


def make_unreadable(private_media, attachment) -> None:
    """The stored name there but not a readable file (root reads past chmod 000): opening it
    fails with an OSError other than FileNotFoundError, as a permission or disk error does."""
    stored = private_media / attachment.file.name
    stored.unlink()
    stored.mkdir()


def test_an_api_download_whose_stored_file_cannot_be_read_is_a_logged_json_error(
    api, county, attachment, private_media, caplog
):
    make_unreadable(private_media, attachment)
    caplog.set_level(logging.ERROR, logger="alliance.uploads")
    url = reverse("api:attachment-download", args=[attachment.pk])
    response = with_token(api, county.chair).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "无法读取已存储的文件，错误已记录，请联系管理员。"}
    assert f"MeetingAttachment {attachment.pk}: stored file {attachment.file.name}" in caplog.text
    assert "cannot be read" in caplog.text


def test_a_page_download_whose_stored_file_cannot_be_read_is_the_error_page(
    client, county, attachment, private_media, caplog
):
    make_unreadable(private_media, attachment)
    caplog.set_level(logging.ERROR, logger="alliance.uploads")
    client.raise_request_exception = False  # the server-error page, as a browser gets it
    client.force_login(county.chair)
    response = client.get(reverse("dashboard:attachment", args=[attachment.pk]))
    assert response.status_code == 500
    assert "text/html" in response["Content-Type"]
    assert f"MeetingAttachment {attachment.pk}" in caplog.text


def test_the_api_points_integrators_to_the_token_download(api, county, attachment):
    meeting = with_token(api, county.chair).get(f"/api/v1/meetings/{attachment.meeting_id}/")
    (listed,) = meeting.json()["attachments"]
    assert listed["download_url"] == f"/api/v1/attachments/{attachment.pk}/download/"
    assert listed["url"] == f"/attachments/{attachment.pk}/"  # the page, kept for old clients
    assert api.get(listed["download_url"]).status_code == 200
