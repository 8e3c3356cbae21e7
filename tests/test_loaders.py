"""Loading files into documents: every supported format, folder walking, and bad input that
must produce a message naming the file."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from copilot.errors import InputError
from copilot.knowledge.loaders import (
    SUPPORTED,
    EmptyFileError,
    FileTooLargeError,
    IngestError,
    NotAChatExportError,
    SlackExportDir,
    UnreadableFileError,
    UnsupportedFormatError,
    discover,
    load_file,
    load_path,
    load_unit,
)

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = FIXTURES / "docs"
EXPORTS = FIXTURES / "exports"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def load(path: Path, **kwargs: object) -> object:
    return load_file(path, community="c1", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a temp dir so error messages show the short relative names a user types."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---- formats --------------------------------------------------------------------------------


def test_markdown_keeps_headings_and_takes_the_front_matter_title() -> None:
    loaded = load_file(DOCS / "handbook.md", community="c1")
    assert loaded.format == "markdown"
    assert loaded.kind == "playbook"
    assert loaded.source == str(DOCS / "handbook.md")
    (doc,) = loaded.documents
    assert doc.title == "社群运营手册"
    assert not doc.text.startswith("---")  # front matter is metadata, not content
    assert "tags:" not in doc.text
    assert "## 新人破冰" in doc.text.splitlines()
    assert "### 违规处理" in doc.text.splitlines()


def test_markdown_title_falls_back_to_first_heading_then_file_name(in_tmp: Path) -> None:
    Path("a.md").write_text("intro\n\n# Real Title\n\nbody\n", encoding="utf-8")
    Path("notes.markdown").write_text("no heading here\n", encoding="utf-8")
    assert load_file(Path("a.md"), community="c1").documents[0].title == "Real Title"
    assert load_file(Path("notes.markdown"), community="c1").documents[0].title == "notes"


def test_plain_text_playbook_with_dates_is_not_taken_for_chat() -> None:
    for name in ("rules.txt", "活动排期.txt"):
        loaded = load_file(DOCS / name, community="c1")
        assert loaded.format == "text", name
        assert loaded.messages == []
        assert loaded.documents[0].title == Path(name).stem
    assert (
        "2026-11-08 19:00 Hack Night"
        in load_file(DOCS / "rules.txt", community="c1").documents[0].text
    )


def test_html_headings_become_markdown_and_page_chrome_is_dropped() -> None:
    loaded = load_file(DOCS / "guide.html", community="c1")
    (doc,) = loaded.documents
    assert loaded.format == "html"
    assert doc.title == "Moderator Guide"
    lines = doc.text.splitlines()
    assert lines[0] == "# Moderator Guide"
    assert "## Handling reports" in lines
    assert "### Escalation" in lines
    # Source line wrapping is not a paragraph break; <br> is a line break.
    assert "Moderators keep conversations friendly and on topic." in lines
    assert lines[-2:] == ["Line one", "Line two"]
    assert "- Read the whole thread first." in lines
    assert "- Ask the member for context." in lines
    assert lines[lines.index("| Severity | Action |") :][:4] == [
        "| Severity | Action |",
        "| --- | --- |",
        "| Low | Warn |",
        "| High | Remove and ban |",
    ]
    for chrome in ("analytics", "font-family", "Log in", "enable JavaScript", "DOCTYPE", "html"):
        assert chrome not in doc.text, chrome


def test_pdf_text_of_every_page_with_metadata_title() -> None:
    loaded = load_file(DOCS / "event-checklist.pdf", community="c1")
    (doc,) = loaded.documents
    assert loaded.format == "pdf"
    assert doc.title == "Community Event Checklist"
    assert "Book the venue two weeks ahead." in doc.text
    assert "Share photos and a short recap within 48 hours." in doc.text


def test_faq_csv_becomes_one_section_per_question() -> None:
    loaded = load_file(DOCS / "faq.csv", community="c1")
    text = loaded.documents[0].text
    assert loaded.format == "csv"
    assert "## 怎么加入读书会？\n在群公告里填写报名表，审核后拉你进群。\n分类: 入群" in text
    assert text.count("## ") == 3


def test_faq_json_and_nested_json_render_as_markdown() -> None:
    faq = load_file(DOCS / "faq.json", community="c1").documents[0].text
    assert faq.startswith("## How do I join the book club?\nFill in the sign-up form")
    assert "tags: onboarding, book club" in faq
    nested = load_file(DOCS / "community.json", community="c1").documents[0].text
    assert "name: Indie Makers" in nested
    assert "## channels" in nested
    assert "### showcase\npurpose: Show what you built" in nested
    assert "### levels" in nested and "silver: 500" in nested


def test_jsonl_records_that_are_not_chat_become_documents() -> None:
    loaded = load_file(DOCS / "activities.jsonl", community="c1")
    assert loaded.format == "jsonl"
    assert "## 新人见面会\nformat: 线上\nduration_minutes: 60" in loaded.documents[0].text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_text_encodings_of_windows_tools_are_decoded(in_tmp: Path, encoding: str) -> None:
    text = "# 群规\r\n\r\n禁止发广告，违者移出群聊。\r\n"
    Path("rules.md").write_bytes(text.encode(encoding))
    doc = load_file(Path("rules.md"), community="c1").documents[0]
    assert doc.text == "# 群规\n\n禁止发广告，违者移出群聊。"
    assert doc.title == "群规"


def test_source_names_an_upload_and_decides_its_format(tmp_path: Path) -> None:
    upload = tmp_path / "upload-7f3a.tmp"
    shutil.copy(DOCS / "handbook.md", upload)
    loaded = load_file(upload, community="c1", source="handbook.md")
    assert (loaded.source, loaded.format) == ("handbook.md", "markdown")
    assert loaded.documents[0].source == "handbook.md"
    upload.write_bytes(b"")
    with pytest.raises(EmptyFileError, match=r"^handbook\.md: the file is empty$"):
        load_file(upload, community="c1", source="handbook.md")


# ---- kind overrides -------------------------------------------------------------------------


def test_kind_playbook_reads_a_chat_export_as_a_document() -> None:
    loaded = load_file(EXPORTS / "telegram" / "result.json", community="c1", kind="playbook")
    assert loaded.format == "json"
    assert loaded.messages == []
    assert "增长黑客读书会" in loaded.documents[0].text


def test_kind_chat_refuses_files_that_are_not_chat(in_tmp: Path) -> None:
    shutil.copy(DOCS / "handbook.md", "handbook.md")
    shutil.copy(DOCS / "活动排期.txt", "plan.txt")
    shutil.copy(DOCS / "faq.csv", "faq.csv")
    hint = (
        "expected a Telegram result.json, a Slack export folder or .zip, a "
        "DiscordChatExporter JSON, a QQ 消息管理器 .txt or QQChatExporter export, a WeChat "
        "export (MemoTrace/留痕 TXT/CSV/HTML, PyWxDump CSV/JSON, chatlog text/JSON/CSV), "
        "WeCom 会话内容存档 JSON lines, or JSONL/CSV records with ts, author and text"
    )
    for name in ("handbook.md", "plan.txt", "faq.csv"):
        with pytest.raises(NotAChatExportError) as info:
            load_file(Path(name), community="c1", kind="chat")
        assert str(info.value) == f"{name}: not a recognised chat export ({hint})"


# ---- bad input: each message names the file -------------------------------------------------


def test_unknown_extension(in_tmp: Path) -> None:
    Path("notes.xyz").write_text("hello", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as info:
        load_file(Path("notes.xyz"), community="c1")
    assert str(info.value) == f"notes.xyz: unsupported format '.xyz' (supported: {SUPPORTED})"
    assert SUPPORTED.startswith(".md, .markdown, .txt, .html, .htm, .pdf, .json, .jsonl, .csv")


def test_no_extension(in_tmp: Path) -> None:
    Path("README").write_text("hello", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as info:
        load_file(Path("README"), community="c1")
    assert str(info.value) == (
        f"README: the file has no extension, so its format is unknown (supported: {SUPPORTED})"
    )


def test_binary_file_pretending_to_be_markdown(in_tmp: Path) -> None:
    Path("logo.md").write_bytes(PNG + bytes(range(256)) * 4)
    with pytest.raises(UnreadableFileError) as info:
        load_file(Path("logo.md"), community="c1")
    assert str(info.value) == "logo.md: not a text file (looks binary)"


def test_binary_without_nul_bytes_is_still_caught(in_tmp: Path) -> None:
    Path("blob.txt").write_bytes(bytes(range(1, 256)) * 8)
    with pytest.raises(UnreadableFileError, match=r"^blob\.txt: not a text file \(looks binary\)$"):
        load_file(Path("blob.txt"), community="c1")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"])
def test_empty_file(in_tmp: Path, content: bytes) -> None:
    Path("empty.txt").write_bytes(content)
    with pytest.raises(EmptyFileError) as info:
        load_file(Path("empty.txt"), community="c1")
    assert str(info.value) == "empty.txt: the file is empty"


def test_huge_file_is_refused_before_it_is_read(in_tmp: Path) -> None:
    with open("huge.txt", "wb") as f:  # sparse: 210 MB on paper, nothing on disk
        f.truncate(210 * 1024 * 1024)
    with pytest.raises(FileTooLargeError) as info:
        load_file(Path("huge.txt"), community="c1")
    assert str(info.value) == (
        "huge.txt: 210.0 MB is over the 50 MB limit per file (COPILOT_MAX_FILE_MB)"
    )


def test_max_bytes_is_a_parameter(in_tmp: Path) -> None:
    Path("notes.md").write_text("# Notes\n" + "x" * 3000, encoding="utf-8")
    with pytest.raises(FileTooLargeError) as info:
        load_file(Path("notes.md"), community="c1", max_bytes=1024)
    assert str(info.value) == (
        "notes.md: 2.9 KB is over the 1 KB limit per file (COPILOT_MAX_FILE_MB)"
    )
    assert load_file(Path("notes.md"), community="c1", max_bytes=4096).documents


def test_broken_json(in_tmp: Path) -> None:
    Path("broken.json").write_text('{"a": 1,\n  "b" 2}\n', encoding="utf-8")
    with pytest.raises(UnreadableFileError) as info:
        load_file(Path("broken.json"), community="c1")
    assert str(info.value) == (
        "broken.json: not valid JSON (line 2, column 7: Expecting ':' delimiter)"
    )


def test_missing_file_and_folders(in_tmp: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"^missing\.md: no such file or directory$"):
        load_file(Path("missing.md"), community="c1")
    Path("docs").mkdir()
    with pytest.raises(UnsupportedFormatError, match=r"^docs: is a folder; pass it to"):
        load_file(Path("docs"), community="c1")


def test_damaged_pdf(in_tmp: Path) -> None:
    Path("fake.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(UnreadableFileError) as info:
        load_file(Path("fake.pdf"), community="c1")
    assert str(info.value) == "fake.pdf: not a readable PDF (damaged, or not really a PDF)"


def test_files_without_any_text(in_tmp: Path) -> None:
    Path("data.json").write_text("[]", encoding="utf-8")
    Path("only-header.csv").write_text("question,answer\n", encoding="utf-8")
    Path("blank.html").write_text("<html><script>x()</script></html>", encoding="utf-8")
    for name in ("data.json", "only-header.csv", "blank.html"):
        with pytest.raises(EmptyFileError) as info:
            load_file(Path(name), community="c1")
        assert str(info.value) == f"{name}: no text found"


def test_telegram_html_export_points_to_the_json_export(in_tmp: Path) -> None:
    Path("messages.html").write_text(
        '<div class="page_wrap"><div class="message default clearfix" id="message1">hi</div></div>',
        encoding="utf-8",
    )
    with pytest.raises(NotAChatExportError) as info:
        load_file(Path("messages.html"), community="c1")
    assert str(info.value) == (
        "messages.html: is a Telegram HTML export; export the chat again with format "
        "'Machine-readable JSON' and ingest result.json"
    )


def test_ingest_errors_are_input_errors_with_their_parts() -> None:
    error = EmptyFileError("a.txt", "the file is empty")
    assert isinstance(error, IngestError) and isinstance(error, InputError)
    assert (error.source, error.reason, str(error)) == (
        "a.txt",
        "the file is empty",
        "a.txt: the file is empty",
    )


# ---- folders --------------------------------------------------------------------------------


def test_discover_walks_folders_and_keeps_export_folders_whole(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    (root / "guides" / ".drafts").mkdir(parents=True)
    (root / "guides" / "b.md").write_text("# B", encoding="utf-8")
    (root / "guides" / "a.txt").write_text("A", encoding="utf-8")
    (root / "guides" / ".drafts" / "wip.md").write_text("# WIP", encoding="utf-8")
    (root / ".hidden.md").write_text("# H", encoding="utf-8")
    (root / "logo.png").write_bytes(PNG)
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._b.md").write_bytes(b"\x00\x05")
    shutil.copytree(EXPORTS / "slack_export", root / "slack")
    telegram = root / "telegram"
    (telegram / "photos").mkdir(parents=True)
    shutil.copy(EXPORTS / "telegram" / "result.json", telegram / "result.json")
    (telegram / "files").mkdir()
    (telegram / "files" / "shared-by-a-member.pdf").write_bytes(b"%PDF-1.4")
    (root / "explicit.xyz").write_text("?", encoding="utf-8")

    skipped: list[Path] = []
    units = discover([root, root / "explicit.xyz"], skipped=skipped)
    assert units == [
        root / "guides" / "a.txt",
        root / "guides" / "b.md",
        SlackExportDir(root / "slack"),
        telegram / "result.json",
        root / "explicit.xyz",  # named on its own it is kept, so loading can say why not
    ]
    assert skipped == [root / "explicit.xyz", root / "logo.png"]  # found by the walk
    assert str(units[2]) == str(root / "slack")


def test_load_unit_and_load_path(tmp_path: Path) -> None:
    shutil.copytree(EXPORTS / "slack_export", tmp_path / "slack")
    shutil.copy(DOCS / "handbook.md", tmp_path / "handbook.md")
    loaded = list(load_path(tmp_path, community="c1"))
    assert [(lf.source, lf.format) for lf in loaded] == [
        (str(tmp_path / "handbook.md"), "markdown"),
        (str(tmp_path / "slack"), "slack"),
    ]
    unit = SlackExportDir(tmp_path / "slack")
    assert load_unit(unit, community="c1") == loaded[1]
    with pytest.raises(UnsupportedFormatError, match="is a Slack export"):
        load_unit(unit, community="c1", kind="playbook")


def test_slack_export_zip_reads_like_the_folder(tmp_path: Path) -> None:
    folder = load_file(EXPORTS / "slack_export", community="c1")
    for nested in (False, True):
        archive = tmp_path / f"export-{nested}.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for path in sorted((EXPORTS / "slack_export").rglob("*.json")):
                rel = path.relative_to(EXPORTS / "slack_export")
                zf.write(path, f"Community Slack export/{rel}" if nested else str(rel))
        loaded = load_file(archive, community="c1")
        assert loaded.format == "slack"
        assert [m.model_dump(exclude={"source"}) for m in loaded.messages] == [
            m.model_dump(exclude={"source"}) for m in folder.messages
        ]


def test_zip_that_is_not_a_slack_export(in_tmp: Path) -> None:
    with zipfile.ZipFile("docs.zip", "w") as zf:
        zf.writestr("a.md", "# A")
    with pytest.raises(UnsupportedFormatError) as info:
        load_file(Path("docs.zip"), community="c1")
    assert str(info.value) == (
        "docs.zip: a .zip is read only when it is a Slack export; unzip it and ingest the "
        "folder instead"
    )
    Path("bad.zip").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(UnreadableFileError, match=r"^bad\.zip: not a valid \.zip archive$"):
        load_file(Path("bad.zip"), community="c1")


def test_zip_members_obey_the_size_limit(tmp_path: Path) -> None:
    archive = tmp_path / "slack.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("users.json", "[]")
        zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "general"}]))
        day = [{"type": "message", "user": "U1", "text": "x" * 5000, "ts": "1793707200.000100"}]
        zf.writestr("general/2026-11-03.json", json.dumps(day))
    with pytest.raises(FileTooLargeError) as info:
        load_file(archive, community="c1", max_bytes=2048)
    assert str(info.value) == (
        f"{archive}/general/2026-11-03.json: 5.0 KB is over the 2 KB limit per file "
        "(COPILOT_MAX_FILE_MB)"
    )


def test_unreadable_file(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("secret.md").write_text("# s", encoding="utf-8")
    Path("secret.md").chmod(0)
    if os.geteuid() == 0:  # root reads any file: make the OS refuse the way it does for users

        def refuse(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(UnreadableFileError, match=r"^secret\.md: cannot read the file"):
        load_file(Path("secret.md"), community="c1")


def test_pdf_without_text_suggests_ocr(in_tmp: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open("scan.pdf", "wb") as f:
        writer.write(f)
    with pytest.raises(EmptyFileError) as info:
        load_file(Path("scan.pdf"), community="c1")
    assert str(info.value) == "scan.pdf: no text found (a scanned PDF? run OCR on it first)"


def test_password_protected_pdf(in_tmp: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(DOCS / "event-checklist.pdf"))
    writer.encrypt(user_password="s3cret", algorithm="AES-128")
    with open("locked.pdf", "wb") as f:
        writer.write(f)
    with pytest.raises(UnreadableFileError) as info:
        load_file(Path("locked.pdf"), community="c1")
    assert str(info.value) == "locked.pdf: the PDF is password-protected"
