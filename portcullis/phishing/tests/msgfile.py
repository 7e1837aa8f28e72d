"""Writing Outlook .msg files for tests: a small Compound File Binary ([MS-CFB], version 3)
writer and the [MS-OXMSG] property layout on top of it. No library here writes OLE files
(olefile only reads), so the tests build their own messages byte by byte."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
PT_LONG, PT_STRING8, PT_UNICODE, PT_BINARY = 0x0003, 0x001E, 0x001F, 0x0102


@dataclass
class _Node:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Node] = field(default_factory=list)
    number: int = 0
    start: int = END
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM


def _key(node: _Node) -> tuple[int, str]:
    return (len(node.name), node.name.upper())


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ("storage/stream" paths; storages are implied)."""
    root = _Node("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *storages, leaf = path.split("/")
        for name in storages:
            found = next((c for c in node.children if c.name == name), None)
            if found is None:
                found = _Node(name, 1)
                node.children.append(found)
            node = found
        node.children.append(_Node(leaf, 2, data))
    nodes: list[_Node] = []

    def number(node: _Node) -> None:
        node.number = len(nodes)
        nodes.append(node)
        ordered = sorted(node.children, key=_key)
        for child in ordered:
            number(child)
        # A right-leaning chain is a valid (if unbalanced) search tree of the siblings.
        for here, after in zip(ordered, ordered[1:], strict=False):
            here.right = after.number
        node.child = ordered[0].number if ordered else NOSTREAM

    number(root)
    fat: list[int] = []
    sectors: list[bytes] = []

    def place(data: bytes) -> int:
        count = max(1, -(-len(data) // SECTOR))
        first = len(fat)
        for i in range(count):
            fat.append(first + i + 1 if i < count - 1 else END)
            sectors.append(data[i * SECTOR : (i + 1) * SECTOR].ljust(SECTOR, b"\x00"))
        return first

    mini_fat: list[int] = []
    mini = bytearray()
    for node in nodes:
        if node.kind != 2 or not node.data:
            continue
        if len(node.data) >= CUTOFF:
            node.start = place(node.data)
        else:
            count = -(-len(node.data) // MINI)
            node.start = len(mini_fat)
            for i in range(count):
                mini_fat.append(node.start + i + 1 if i < count - 1 else END)
            mini.extend(node.data.ljust(count * MINI, b"\x00"))
    if mini:
        root.start, root.data = place(bytes(mini)), bytes(mini)
    directory = b"".join(_entry(n) for n in nodes)
    directory += _empty_entries((-len(nodes)) % (SECTOR // 128))
    first_directory = place(directory)
    first_mini_fat, mini_fat_sectors = END, 0
    if mini_fat:
        table = b"".join(struct.pack("<I", v) for v in mini_fat)
        table = table.ljust(-(-len(table) // SECTOR) * SECTOR, b"\xff")
        first_mini_fat, mini_fat_sectors = place(table), len(table) // SECTOR
    fat_count = 1
    while (len(fat) + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    fat_first = len(fat)
    fat += [FATSECT] * fat_count
    table = b"".join(struct.pack("<I", v) for v in fat)
    table = table.ljust(fat_count * SECTOR, b"\xff")
    sectors += [table[i * SECTOR : (i + 1) * SECTOR] for i in range(fat_count)]
    difat = [fat_first + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIII", 0, fat_count, first_directory, 0, CUTOFF)
    header += struct.pack("<IIII", first_mini_fat, mini_fat_sectors, END, 0)
    header += b"".join(struct.pack("<I", v) for v in difat)
    assert len(header) == SECTOR, len(header)
    return header + b"".join(sectors)


def _entry(node: _Node) -> bytes:
    name = (node.name + "\x00").encode("utf-16-le")
    size = len(node.data) if node.kind in (2, 5) else 0
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBB", len(name), node.kind, 1)
        + struct.pack("<III", node.left, node.right, node.child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", node.start if size else (END if node.kind != 1 else 0), size)
    )


def _empty_entries(count: int) -> bytes:
    empty = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", *[NOSTREAM] * 3)
    return (empty + bytes(16 + 4 + 16 + 12)) * count


# --- [MS-OXMSG] -------------------------------------------------------------------------------

Value = str | bytes | int | tuple[str, str]  # (text, code page) for an 8-bit string


def _properties(
    props: dict[int, Value], prefix: str, top: bool, counts: tuple[int, int] = (0, 0)
) -> dict[str, bytes]:
    streams: dict[str, bytes] = {}
    table = struct.pack("<8sIIII8s", bytes(8), 0, counts[1], 0, counts[1], bytes(8))
    table = table if top else bytes(8)
    for prop, value in props.items():
        if isinstance(value, int):
            table += struct.pack("<IIi4s", (prop << 16) | PT_LONG, 6, value, bytes(4))
            continue
        if isinstance(value, tuple):
            kind, data = PT_STRING8, value[0].encode(value[1]) + b"\x00"
        elif isinstance(value, str):
            kind, data = PT_UNICODE, (value + "\x00").encode("utf-16-le")
        else:
            kind, data = PT_BINARY, value
        streams[f"{prefix}__substg1.0_{prop:04X}{kind:04X}"] = data
        table += struct.pack("<IIII", (prop << 16) | kind, 6, len(data), 0)
    streams[f"{prefix}__properties_version1.0"] = table
    return streams


def write_msg(props: dict[int, Value], attachments: list[dict[int, Value]] = ()) -> bytes:  # type: ignore[assignment]
    """An Outlook item with `props` ({property id: value}) and attachments (each its props)."""
    streams = _properties(props, "", True, (0, len(attachments)))
    for number, attachment in enumerate(attachments):
        streams |= _properties(attachment, f"__attach_version1.0_#{number:08X}/", False)
    streams["__nameid_version1.0/__substg1.0_00020102"] = b""
    return write_cfb(streams)
