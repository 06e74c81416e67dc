"""kg.read.document: reading and decoding (every encoding), broken files, directory walking, and the seeds' golden ids."""
from __future__ import annotations

import hashlib
import os

import pytest

from kg.read.document import decode_bytes, iter_paths, read_document
from kg.errors import DocumentError

SENTENCE = "Meta removed 41 Facebook accounts and 14 Instagram accounts linked to a marketing firm in Egypt."

# Golden ids (sha256 of the raw bytes, first 16 hex) and text hashes of the shared seeds.
SEED_GOLDEN = {
    "000_8a87d10024d998eb.txt": ("3b2ebfa601e8315b", "3b2ebfa601e8315b"),
    "001_d2d67c08d139a4d1.txt": ("baa3b235ad9f34a2", "baa3b235ad9f34a2"),
    "002_dcb59adf3f47c8d4.txt": ("7508c9f54a2c535c", "7508c9f54a2c535c"),
    "003_fffc370fba008b8a.txt": ("0db76ba062972eef", "1dc063730205996e"),
    "004_541041fa3488ec9a.txt": ("f6229a96ab9c4ed9", "f6229a96ab9c4ed9"),
}


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def fails(path, *words: str) -> str:
    """Read `path`, expect a DocumentError naming the file, and return its one-line message."""
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def test_txt_utf8_gives_text_and_content_hash(tmp_path):
    data = (SENTENCE + "\r\nSecond line with café.\r\n").encode()
    doc = read_document(write(tmp_path, "a.txt", data))
    assert doc.text == SENTENCE + "\nSecond line with café."
    assert doc.format == "txt" and doc.encoding == "utf-8" and doc.name == "a.txt"
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.id == doc.sha256[:16]


def test_same_bytes_same_id_different_bytes_different_id(tmp_path):
    a = read_document(write(tmp_path, "a.txt", SENTENCE.encode()))
    b = read_document(write(tmp_path, "b.txt", SENTENCE.encode()))
    c = read_document(write(tmp_path, "c.txt", (SENTENCE + " ").encode()))
    assert a.id == b.id != c.id


def test_utf8_bom_is_stripped(tmp_path):
    doc = read_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SENTENCE.encode()))
    assert doc.text == SENTENCE and doc.encoding == "utf-8-bom"


def test_utf16_with_bom(tmp_path):
    doc = read_document(write(tmp_path, "u16.txt", "\ufeffRéseau iranien supprimé.".encode("utf-16-le")))
    assert doc.text == "Réseau iranien supprimé." and doc.encoding == "utf-16-le"


@pytest.mark.parametrize("text, codec", [
    ("The network posted about México – and “Tunisia” €4,000.", "cp1252"),
    ("Señor González dijo que la campaña era falsa.", "latin-1"),
])
def test_western_legacy_encodings(tmp_path, text, codec):
    doc = read_document(write(tmp_path, "old.txt", text.encode(codec)))
    assert doc.text == text and doc.encoding in ("cp1252", "latin-1")


def test_cyrillic_single_byte_detected(tmp_path):
    text = "Сеть аккаунтов из России была удалена вчера вечером, сообщила компания."
    doc = read_document(write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert doc.text == text


def test_mixed_invalid_utf8_rejected(tmp_path):
    fails(write(tmp_path, "bad.txt", "Café network ".encode() + b"\xc3\x28 broken"), "invalid UTF-8", "byte")


def test_binary_and_empty_rejected(tmp_path):
    fails(write(tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "binary")
    fails(write(tmp_path, "ctl.txt", bytes(range(1, 32)) * 20), "binary")
    fails(write(tmp_path, "empty.txt", b""), "empty")
    fails(write(tmp_path, "blank.md", b"  \n\n \t"), "empty")


def test_control_characters_and_bidi_overrides_removed(tmp_path):
    doc = read_document(write(tmp_path, "c.txt", "Iran\x1b[31m network\u202e removed\x07.".encode()))
    assert doc.text == "Iran[31m network removed."


def test_unsupported_extension_lists_supported(tmp_path):
    fails(write(tmp_path, "report.docx", b"PK\x03\x04"), "unsupported", ".pdf", ".html")


def test_missing_file_and_folder(tmp_path):
    fails(tmp_path / "gone.txt", "no such file")
    (tmp_path / "dir.txt").mkdir()
    fails(tmp_path / "dir.txt", "folder")


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("IOKG_MAX_MB", "0.001")
    fails(write(tmp_path, "big.txt", b"word " * 500), "larger than", "IOKG_MAX_MB")


def test_csv_is_routed_raw(tmp_path):
    data = b"type,value\ndomain,example.com\n"
    doc = read_document(write(tmp_path, "ind.csv", data))
    assert doc.format == "csv" and doc.text == data.decode().strip()


def test_iter_paths_walks_sorted_skips_hidden_and_unsupported(tmp_path):
    for name in ("b.txt", "a.md", "z.pdf", ".hidden.txt", "notes.docx", "sub/c.html", ".git/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])]
    assert found == ["a.md", "b.txt", "sub/c.html", "z.pdf"]
    assert list(iter_paths([tmp_path / ".hidden.txt"])) == [tmp_path / ".hidden.txt"]  # named explicitly


def test_iter_paths_deduplicates(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    assert list(iter_paths([tmp_path, tmp_path / "a.txt", tmp_path])) == [tmp_path / "a.txt"]


def test_iter_paths_symlink_loop_reported_and_survived(tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f.txt").write_text("x")
    os.symlink(tmp_path / "d", tmp_path / "d" / "e" / "loop")
    os.symlink("self", tmp_path / "d" / "self")  # points at itself
    errors: list[DocumentError] = []
    found = list(iter_paths([tmp_path], on_error=errors.append))
    assert found == [tmp_path / "d" / "e" / "f.txt"]
    messages = sorted(str(e) for e in errors)
    assert len(messages) == 2 and "loop" in messages[0] and "loop" in messages[1]
    with pytest.raises(DocumentError, match="loop"):
        list(iter_paths([tmp_path]))


def test_iter_paths_missing_and_broken_link(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        list(iter_paths([tmp_path / "nope"]))
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    errors: list[DocumentError] = []
    assert list(iter_paths([tmp_path], on_error=errors.append)) == []
    assert len(errors) == 1 and "broken symbolic link" in str(errors[0]) and "broken.txt" in str(errors[0])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "secret.txt", b"text")
    path.chmod(0)
    fails(path, "permission denied")


def test_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    fails(tmp_path / "pipe.txt", "not a regular file")


def test_decode_bytes_direct():
    assert decode_bytes("naïve".encode()) == ("naïve", "utf-8")
    with pytest.raises(DocumentError, match="NUL"):
        decode_bytes(b"a\x00b", "x.bin")


def test_seed_documents_golden(seeds_dir):
    docs = [read_document(p) for p in iter_paths([seeds_dir])]
    assert [d.name for d in docs] == sorted(SEED_GOLDEN)
    for doc in docs:
        raw = (seeds_dir / doc.name).read_bytes()
        assert doc.id == hashlib.sha256(raw).hexdigest()[:16]
        assert doc.text == raw.decode("utf-8").strip()
        assert (doc.id, hashlib.sha256(doc.text.encode()).hexdigest()[:16]) == SEED_GOLDEN[doc.name]
        assert read_document(seeds_dir / doc.name) == doc  # stable across reads


def test_control_characters_in_file_names_are_not_shown(tmp_path):
    path = write(tmp_path, "\x1b[31mred\x07.txt", SENTENCE.encode())
    assert read_document(path).name == "?[31mred?.txt"
    with pytest.raises(DocumentError) as info:
        read_document(write(tmp_path, "\x1b]0;x\x07e.txt", b""))
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value) and "?]0;x?e.txt" in str(info.value)
