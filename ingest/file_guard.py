"""First look at a received file, before any spreadsheet library touches it.

Identifies the container by its bytes (not its name: units rename files), refuses what is not a
workbook, encrypted workbooks and zip bombs, so that a hostile file costs a clean rejection and never
the batch. Returns a Vietnamese reason for the unit, or None when the file may be opened.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile

import deflate

from ingest.errors import IngestError

MAX_FILE_BYTES = 20 * 1024 * 1024  # a BDG-1 report is a few dozen kB; 20 MB is generous
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_SHEET_CELLS = 2_000_000  # rows × columns of one sheet's used range
# Deflate cannot expand more than ~1032:1 (and calamine opens nothing but deflated or stored members), so a
# ZIP this small cannot hold a bomb: its directory is listed only to explain why it failed to open.
SMALL_ZIP_BYTES = 64 * 1024

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_KNOWN_OTHER = {
    b"%PDF": "tệp PDF",
    b"{\\rtf": "tệp RTF",
    b"\x89PNG": "ảnh PNG",
    b"\xff\xd8\xff": "ảnh JPEG",
    b"Rar!": "tệp nén RAR",
    b"7z\xbc\xaf": "tệp nén 7z",
}
_RESEND = " Đề nghị mở biểu mẫu BDG-1 bằng Excel hoặc LibreOffice, lưu dưới dạng .xlsx và gửi lại."
# why a file over MAX_FILE_BYTES is refused (the receiver refuses it without reading it)
TOO_LARGE = f"Tệp quá lớn (trên {MAX_FILE_BYTES // (1024 * 1024)} MB), không phải biểu mẫu báo cáo." + _RESEND


def refuse_reason(data: bytes, *, thorough: bool = False) -> str | None:
    """Why `data` cannot be accepted as a workbook, or None if it looks like one (xlsx/xlsm/xls/ods).

    A ZIP of at most SMALL_ZIP_BYTES is passed without listing its members unless `thorough` (asked
    when the spreadsheet reader failed on it: a Word file or a plain ZIP then gets its own reason).
    """
    if not data:
        return "Tệp rỗng (0 byte)." + _RESEND
    if len(data) > MAX_FILE_BYTES:
        return TOO_LARGE
    if data.startswith(_ZIP):
        return _zip_reason(data) if thorough or len(data) > SMALL_ZIP_BYTES else None
    if data.startswith(_OLE):
        if any(marker in data for marker in _ENCRYPTED_STREAMS):
            return "Tệp được đặt mật khẩu nên không đọc được. Đề nghị gỡ mật khẩu rồi gửi lại."
        return None  # .xls (BIFF); a password-protected .xls fails to open and is reported then
    for magic, kind in _KNOWN_OTHER.items():
        if data.startswith(magic):
            return f"Tệp gửi đến là {kind}, không phải bảng tính Excel/ODS." + _RESEND
    return "Tệp không phải là bảng tính Excel/ODS (có thể là văn bản, CSV hoặc tệp bị hỏng)." + _RESEND


def _zip_reason(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError, RuntimeError):
        # a damaged or hostile directory: zipfile raises more than BadZipFile (found by the fuzz test)
        return "Tệp bị hỏng (cấu trúc nén không hợp lệ), không mở được." + _RESEND
    names = {member.filename for member in members}
    if not ({"xl/workbook.xml", "content.xml"} & names) and not any(n.startswith("xl/workbook") for n in names):
        return "Tệp nén không phải bảng tính Excel/ODS (có thể là tệp Word hoặc ZIP)." + _RESEND
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO):
        return "Tệp có dung lượng giải nén bất thường (nghi là tệp độc hại), không được xử lý." + _RESEND
    return None


def sheet_too_large(end: tuple[int, int] | None) -> bool:
    """A sheet whose used range would need more than MAX_SHEET_CELLS cells in memory."""
    if end is None:
        return False
    rows, cols = end[0] + 1, end[1] + 1
    return rows * cols > MAX_SHEET_CELLS


# A formula cell Excel saved without its computed value (<c r="B7"><f>SUM(…)</f></c>): a reader sees a
# blank, which would load as zero. Cells are found by plain byte searches (linear: a hostile sheet cannot stall it).
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
# a formula element (<f>, <f t="shared" …>, <f/>), not <formula1> of a data validation: a regular expression
# finds it in half the time of a byte search for "<f", as '<' begins every tag)
_FORMULA = re.compile(rb"<f[ >/]")
_SHEET_ENTRY = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_RELATION = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_RELATION_REVERSED = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def formula_errors(formulas: dict[str, list[str]], sheets: set[str]) -> list[IngestError]:
    """An INVALID_VALUE error for each formula without a computed value (`formulas`, as `readable` found
    them) on the given (parsed) sheets."""
    return [
        IngestError(
            "INVALID_VALUE",
            "Ô có công thức nhưng chưa có giá trị đã tính. Đề nghị mở tệp bằng Excel, để Excel tính lại "
            "(phím F9), lưu rồi gửi lại; hoặc ghi số thay cho công thức.",
            sheet=sheet,
            cell=cell,
        )
        for sheet, cells in formulas.items()
        if sheet in sheets
        for cell in cells
    ]


def readable(data: bytes) -> tuple[bytes, dict[str, list[str]]]:
    """The bytes to give the spreadsheet reader, and the formulas without values: sheet name → cells ('B7')
    holding a formula but no computed value, in an .xlsx/.xlsm; {} for any other file, or when nothing can
    be read (the spreadsheet reader reports that).

    The guard has to inflate every worksheet to find them; for a plain ZIP it hands the reader a copy of
    the archive with those worksheets stored already inflated (every other member, and every byte the
    reader gets out, as in the original), so no sheet is inflated twice. Anything else gets its own bytes.
    """
    if not data.startswith(_ZIP):
        return data, {}
    plain = _PlainZip.of(data)
    if plain is not None:
        try:
            sheets = {name: plain.read(name) for name in plain.namelist() if _is_worksheet(name)}
            return plain.with_stored(sheets), _formulas(plain, sheets)
        except Exception:  # noqa: BLE001 — anything unusual: zipfile's answer, below
            pass
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return data, _formulas(archive)
    except Exception:  # noqa: BLE001 — a damaged archive: the spreadsheet reader reports it
        return data, {}


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _formulas(archive: zipfile.ZipFile | _PlainZip, read: dict[str, bytes] | None = None) -> dict[str, list[str]]:
    """The formulas without values (`readable`) of an open archive (`read`: its worksheets, inflated already)."""
    names = set(archive.namelist())
    found: dict[str, list[str]] = {}
    for member in filter(_is_worksheet, names):
        xml = read[member] if read is not None else archive.read(member)
        cells = _formula_cells_without_values(xml)
        if cells:
            found[member] = cells
    if not found:
        return {}
    return {_sheet_names(archive, names).get(member, member): cells for member, cells in found.items()}


_END = struct.Struct("<4s4H2LH")  # end of central directory
_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # central directory entry
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header
_MOST_INFLATED = 1032  # deflate's greatest expansion: 258 bytes from one 2-bit code
_1980 = 0x21  # 1 January 1980, the first date a ZIP can hold (a copy's members carry no time of their own)


class _NotPlain(Exception):
    """The archive needs zipfile's full reading."""


class _PlainZip:
    """The members of a plain ZIP — what Excel, LibreOffice and xlsxwriter write: no archive comment, no
    ZIP64, no encryption, no extra fields in the directory, unique ASCII names, stored or deflated
    members — read straight from the bytes, at half zipfile's cost. `read` gives exactly what zipfile's
    `read` gives; anything else about the archive raises (`of` returns None), and the caller reads it
    with zipfile instead (tests/ingest/test_fast_paths.py compares the two, on hostile archives too)."""

    def __init__(self, data: bytes, members: dict[str, tuple[int, int, int, int, int, bytes]], entries: dict):
        # members: name → (local header offset, method, packed size, size, CRC-32, raw name);
        # entries: name → where its directory entry lies (start, end), one after another up to the end record
        self._data, self._members, self._entries = data, members, entries

    @classmethod
    def of(cls, data: bytes) -> _PlainZip | None:
        try:
            return cls(data, *cls._directory(data))
        except (_NotPlain, struct.error):
            return None

    @staticmethod
    def _directory(data: bytes) -> tuple[dict[str, tuple[int, int, int, int, int, bytes]], dict]:
        end = len(data) - _END.size
        if end < 0:
            raise _NotPlain
        signature, _, _, _, _, size, offset, comment = _END.unpack_from(data, end)
        # zipfile's own reading of anything else: a comment, ZIP64, data before the archive
        if signature != b"PK\x05\x06" or comment or data[end - 20 : end - 16] == b"PK\x06\x07" or offset + size != end:
            raise _NotPlain
        members: dict[str, tuple[int, int, int, int, int, bytes]] = {}
        entries: dict[str, tuple[int, int]] = {}
        position = offset
        while position < end:
            (signature, _, _, version, _, flags, method, _, _, crc, packed, size, name_length, extra_length,
             comment_length, _, _, _, local) = _ENTRY.unpack_from(data, position)  # fmt: skip
            name = data[position + _ENTRY.size : position + _ENTRY.size + name_length]
            if (
                signature != b"PK\x01\x02"
                or extra_length
                or version > 63  # zipfile refuses a newer format
                or flags & 0x61  # encrypted, patched, strongly encrypted
                or method not in (0, 8)
                or len(name) != name_length
                or not name.isascii()
                or b"\0" in name
            ):
                raise _NotPlain
            text = name.decode("ascii")
            if text in members:
                raise _NotPlain
            members[text] = (local, method, packed, size, crc, name)
            entries[text] = (position, position + _ENTRY.size + name_length + comment_length)
            position = entries[text][1]
        if position != end:
            raise _NotPlain
        return members, entries

    def namelist(self) -> list[str]:
        return list(self._members)

    def read(self, name: str) -> bytes:
        local, method, packed, size, crc, raw_name = self._members[name]
        data = self._data
        signature, _, _, _, _, _, _, _, _, _, name_length, extra_length = _LOCAL.unpack_from(data, local)
        start = local + _LOCAL.size + name_length + extra_length
        if (
            signature != b"PK\x03\x04"
            or data[local + _LOCAL.size : local + _LOCAL.size + name_length] != raw_name
            or start + packed > len(data)
        ):
            raise _NotPlain
        stream = data[start : start + packed]
        if method == 8:
            if size > len(stream) * _MOST_INFLATED + 64:
                raise _NotPlain  # more than deflate can encode in so few bytes: the directory lies
            try:  # libdeflate: the whole member at once, into the size the directory gives (2.5× zlib's speed)
                content = deflate.deflate_decompress(stream, size)  # (at most `size` bytes: checked below)
            except deflate.DeflateError:  # not a complete deflate stream of exactly that size
                raise _NotPlain from None
        else:
            content = stream
        if len(content) != size or deflate.crc32(content) != crc:  # libdeflate's CRC-32: 3× zlib's here
            raise _NotPlain
        return bytes(content)

    def with_stored(self, inflated: dict[str, bytes]) -> bytes:
        """The archive with the members of `inflated` (as `read` gave them) written again after its last
        member, stored uncompressed, and a directory that points at those copies; every other member stays
        where it is, read from its own local header as before (the deflated originals stay behind, unused)."""
        data = self._data
        start = len(data) - _END.size - sum(end - begin for begin, end in self._entries.values())  # the directory
        parts, directory, offset = [data[:start]], [], start
        for name, (_, _, _, size, crc, raw_name) in self._members.items():
            content = inflated.get(name)
            if content is None:
                begin, end = self._entries[name]
                directory.append(data[begin:end])
                continue
            header = _LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 0, 0, _1980, crc, size, size, len(raw_name), 0)
            parts += (header, raw_name, content)
            fields = (20, 0, 20, 0, 0, 0, 0, _1980, crc, size, size, len(raw_name), 0, 0, 0, 0, 0, offset)
            directory.append(_ENTRY.pack(b"PK\x01\x02", *fields) + raw_name)
            offset += len(header) + len(raw_name) + len(content)
        listing = b"".join(directory)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(directory), len(directory), len(listing), offset, 0)
        return b"".join((*parts, listing, end))


def _formula_cells_without_values(xml: bytes) -> list[str]:
    """The cells of a worksheet's XML holding a formula (<f>) but no value (<v>): found from each formula
    outwards, so a sheet's ordinary cells cost nothing (a file's totals rows hold its few formulas)."""
    cells = []
    position = 0
    while (found := _FORMULA.search(xml, position)) is not None:
        position = found.start()
        start, end = xml.rfind(b"<c ", 0, position), xml.find(b"</c>", position)
        if start != -1 and end != -1 and b"<v" not in xml[position:end] and b"<is>" not in xml[position:end]:
            reference = _CELL_REF.search(xml, start, position)
            if reference:
                cells.append(reference.group(1).decode())
        position = end if end != -1 else position + 2
    return cells


def _sheet_names(archive: zipfile.ZipFile | _PlainZip, names: set[str]) -> dict[str, str]:
    """Worksheet part ('xl/worksheets/sheet1.xml') → the sheet's name, from the workbook's relations."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _RELATION.findall(rels_xml)}
    targets.update({rid: target for target, rid in _RELATION_REVERSED.findall(rels_xml)})
    parts = {}
    for name, rid in _SHEET_ENTRY.findall(archive.read("xl/workbook.xml")):
        target = targets.get(rid, b"").decode()
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[part] = html.unescape(name.decode("utf-8", "replace"))
    return parts
