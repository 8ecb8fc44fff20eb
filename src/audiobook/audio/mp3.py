"""MPEG audio layer III at the byte level: frames, side info, splicing runs of frames, the Info/LAME header.

Only what joining separately encoded runs needs: LAME writes CBR mono (MPEG-1, or MPEG-2/2.5 below 32 kHz).
A frame's main data may start in the frames before it (the bit reservoir, `main_data_begin` bytes back),
so a run cannot simply be cut at a frame: `splice` copies the bytes a run's first kept frame reaches back
for into the unused tail of the previous run's last frames, and refuses a join where they would overwrite
main data still in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

BITRATES = {  # kbps by index, MPEG-1 and MPEG-2/2.5 layer III
    1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}  # by version bits
ENCODER_DELAY = 576  # LAME's own delay, written in the LAME tag; decoders add 529 of their own
DECODER_DELAY = 529


class Mp3Error(ValueError):
    pass


@dataclass
class Frame:
    data: bytearray  # the whole frame: header, side info, data area
    side: int  # bytes of header + side info: the data area starts here
    main_begin: int  # main_data_begin: how many bytes before its data area this frame's main data starts
    main_bytes: int  # length of its main data (part2_3_length summed, rounded up to whole bytes)


@dataclass(frozen=True)
class Header:
    mpeg1: bool
    rate: int
    bitrate: int  # kbps
    padding: int
    mono: bool

    @property
    def samples(self) -> int:  # per frame
        return 1152 if self.mpeg1 else 576

    @property
    def side_bytes(self) -> int:
        if self.mpeg1:
            return 17 if self.mono else 32
        return 9 if self.mono else 17

    @property
    def length(self) -> int:
        return (144 if self.mpeg1 else 72) * self.bitrate * 1000 // self.rate + self.padding


def parse_header(b: bytes | bytearray, at: int = 0) -> Header:
    if len(b) < at + 4 or b[at] != 0xFF or (b[at + 1] & 0xE0) != 0xE0:
        raise Mp3Error(f"no MPEG frame at byte {at}")
    version, layer = (b[at + 1] >> 3) & 3, (b[at + 1] >> 1) & 3
    bi, ri, pad, mode = b[at + 2] >> 4, (b[at + 2] >> 2) & 3, (b[at + 2] >> 1) & 1, b[at + 3] >> 6
    if layer != 1 or version == 1 or bi in (0, 15) or ri == 3:
        raise Mp3Error(f"not a layer III frame at byte {at}")
    mpeg1 = version == 3
    return Header(mpeg1, RATES[version][ri], BITRATES[1 if mpeg1 else 2][bi], pad, mode == 3)


def _bits(b: bytes | bytearray, start: int, pos: int, n: int) -> int:
    """`n` bits at bit `pos` of the bytes from `start` (big-endian)."""
    word = int.from_bytes(b[start + pos // 8 : start + (pos + n + 7) // 8 + 1], "big")
    total = (len(b[start + pos // 8 : start + (pos + n + 7) // 8 + 1])) * 8
    return (word >> (total - pos % 8 - n)) & ((1 << n) - 1)


def _main_data(b: bytes | bytearray, at: int, h: Header) -> tuple[int, int]:
    """(main_data_begin, main data bytes) from the side info (no CRC: LAME writes none)."""
    s = at + 4
    if h.mpeg1:
        mdb = _bits(b, s, 0, 9)
        first, step, blocks = (18, 59, 2) if h.mono else (20, 59, 4)
    else:
        mdb = _bits(b, s, 0, 8)
        first, step, blocks = (9, 63, 1) if h.mono else (10, 63, 2)
    bits = sum(_bits(b, s, first + k * step, 12) for k in range(blocks))
    return mdb, (bits + 7) // 8


def is_info_frame(b: bytes | bytearray, at: int, h: Header) -> bool:
    tag = b[at + 4 + h.side_bytes : at + 8 + h.side_bytes]
    return tag in (b"Info", b"Xing")


def scan(b: bytes | bytearray) -> np.ndarray:
    """Start offsets of the audio frames of an MP3 stream (no ID3 tags), an Info/Xing frame left out, and
    the end of the last frame: a frame's length follows from its header bytes 1-2 (cached per value)."""
    starts: list[int] = []
    lengths: dict[int, int] = {}
    at, n = 0, len(b)
    while at < n:
        word = b[at] << 16 | b[at + 1] << 8 | b[at + 2] if at + 3 <= n else -1
        size = lengths.get(word)
        if size is None:
            h = parse_header(b, at)
            if not starts and is_info_frame(b, at, h):
                at += h.length
                continue
            size = lengths[word] = h.length
        starts.append(at)
        at += size
    if at != n:
        raise Mp3Error(f"truncated frame at byte {starts[-1]}")
    return np.array([*starts, n], dtype=np.int64)


def frame(b: bytes | bytearray, start: int, end: int) -> Frame:
    h = parse_header(b, start)
    mdb, main = _main_data(b, start, h)
    return Frame(bytearray(b[start:end]), 4 + h.side_bytes, mdb, main)


def frames(b: bytes | bytearray) -> list[Frame]:
    """The audio frames of an MP3 stream, parsed."""
    offs = scan(b).tolist()
    return [frame(b, a, z) for a, z in zip(offs, offs[1:], strict=False)]


def splice(joined: list[Frame], run: list[Frame], first: int) -> bool:
    """Append `run[first:]` to `joined`, moving the reservoir bytes its first frame reaches back for into the
    tail of `joined`'s data areas. False (and `joined` untouched) where that tail still holds main data."""
    need = run[first].main_begin
    src = bytearray()  # the reservoir bytes, from the data areas of the run's frames before `first`
    k = first - 1
    while len(src) < need and k >= 0:
        src[:0] = run[k].data[run[k].side :]
        k -= 1
    if len(src) < need:
        return False
    src = src[len(src) - need :]
    # Counted in bytes back from the end of joined's data areas: a frame's main data ends before the next
    # frame's data area, so frames whose own area ends `need` or more bytes back cannot reach the tail.
    back, k = 0, len(joined) - 1
    while need and k >= 0:
        f = joined[k]
        area = len(f.data) - f.side
        back += area
        if f.main_bytes and back + f.main_begin - f.main_bytes < need:
            return False
        if back - area >= need:
            break
        k -= 1
    if need and k < 0 and back < need:
        return False
    pos, k = need, len(joined) - 1
    while pos > 0:  # overwrite the tail, from the end backwards
        f = joined[k]
        take = min(len(f.data) - f.side, pos)
        f.data[len(f.data) - take :] = src[pos - take : pos]
        pos -= take
        k -= 1
    joined.extend(run[first:])
    return True


# ---- the Info (Xing) frame with its LAME tag ----------------------------------------------------------


@cache
def _crc_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint16)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
        table[i] = c
    return table


@cache
def _pair_table() -> np.ndarray:
    """The CRC of every two-byte value (first byte low) from a zero register."""
    t = _crc_table()
    v = np.arange(1 << 16, dtype=np.uint32)
    c = t[v & 0xFF].astype(np.uint32)
    pairs: np.ndarray = (t[(c ^ (v >> 8)) & 0xFF] ^ (c >> 8)).astype(np.uint16)
    return pairs


def _apply(cols: list[int] | tuple[int, ...], crc: int) -> int:
    out = 0
    for bit in range(16):
        if crc >> bit & 1:
            out ^= cols[bit]
    return out


@cache
def _columns(k: int) -> tuple[int, ...]:
    """The map for 2**k zero bytes by its 16 columns: the map for 2**(k-1), squared."""
    if k == 0:
        table = [int(v) for v in _crc_table()]
        return tuple(table[(1 << b) & 0xFF] ^ ((1 << b) >> 8) for b in range(16))
    half = list(_columns(k - 1))
    return tuple(_apply(half, c) for c in half)


@cache
def _zero_bytes(k: int) -> tuple[np.ndarray, np.ndarray]:
    """The CRC register moved through 2**k zero bytes, a linear map, as two 256-entry tables (low byte,
    high byte): the one-byte map squared k times."""
    cols = _columns(k)
    lo = np.array([_apply(cols, v) for v in range(256)], dtype=np.uint16)
    hi = np.array([_apply(cols, v << 8) for v in range(256)], dtype=np.uint16)
    return lo, hi


def _advance(crc: np.ndarray, n: int) -> np.ndarray:
    """`crc` moved through `n` zero bytes."""
    k = 0
    while n:
        if n & 1:
            lo, hi = _zero_bytes(k)
            crc = lo[crc & 0xFF] ^ hi[crc >> 8]
        n >>= 1
        k += 1
    return crc


def crc16(data: bytes | bytearray, lanes: int = 1 << 16) -> int:
    """CRC-16/ARC (the LAME tag's CRCs): the bytes in parallel lanes with numpy, the lanes' CRCs then joined
    pairwise (the CRC is linear and starts at zero, so leading zero bytes change nothing)."""
    if not data:
        return 0
    lanes = 1 << (max(1, min(lanes, len(data) // 64)).bit_length() - 1)  # powers of two: maps are reused
    width = max(2, 1 << (-(-len(data) // lanes) - 1).bit_length())
    buf = np.zeros(lanes * width, dtype=np.uint8)
    buf[len(buf) - len(data) :] = np.frombuffer(bytes(data), dtype=np.uint8)
    rows = buf.view("<u2").reshape(lanes, width // 2).T  # a strided view: a transposing copy cost more
    table, crc = _pair_table(), np.zeros(lanes, dtype=np.uint16)
    for j in range(width // 2):  # two bytes a step: they fill the 16-bit register, so one lookup
        crc = table[crc ^ rows[j]]
    while len(crc) > 1:  # CRC(a + b) = CRC(a) moved through len(b) zeros, xor CRC(b)
        crc = _advance(crc[0::2], width) ^ crc[1::2]
        width *= 2
    return int(crc[0])


def crc16_continue(crc: int, data: bytes | bytearray) -> int:
    """The CRC of what `crc` covered followed by `data`."""
    return int(_advance(np.array([crc], dtype=np.uint16), len(data))[0]) ^ crc16(data) if data else crc


def info_frame(sample: Header, audio: list[Frame], delay: int, padding: int) -> bytes:
    music = b"".join(bytes(f.data) for f in audio)
    sizes = np.array([len(f.data) for f in audio], dtype=np.int64)
    return info_frame_from(sample, sizes, crc16(music), delay, padding)


def info_header(sample: Header) -> tuple[int, Header]:
    """(bitrate index, header) of the Info frame: the stream's bitrate, or a larger one where a frame at
    that rate cannot hold the tag and the 190 bytes its CRC covers."""
    table = BITRATES[1 if sample.mpeg1 else 2]
    bi = table.index(sample.bitrate)
    while True:
        h = Header(sample.mpeg1, sample.rate, table[bi], 0, sample.mono)
        if h.length >= 192 or bi == 14:
            return bi, h
        bi += 1


def info_frame_from(sample: Header, sizes: np.ndarray, music_crc: int, delay: int, padding: int) -> bytes:
    """A CBR "Info" frame (Xing layout) with a LAME tag: frame count, bytes, 100-entry seek table, encoder
    delay and padding for gapless decoders, music length and both CRCs."""
    bi, h = info_header(sample)
    version = 3 if sample.mpeg1 else (2 if sample.rate in RATES[2] else 0)
    ri = RATES[version].index(sample.rate)
    head = bytes([0xFF, 0xE0 | version << 3 | 1 << 1 | 1, bi << 4 | ri << 2, 0xC0 if sample.mono else 0x00])
    count = len(sizes)
    total = h.length + int(sizes.sum())
    offsets = h.length + np.concatenate([[0], np.cumsum(sizes)[:-1]]) if count else np.zeros(1, np.int64)
    toc = bytes(min(255, int(256 * int(offsets[min(count - 1, i * count // 100)]) // total)) if count else 0
                for i in range(100))
    xing = b"Info" + (15).to_bytes(4, "big") + count.to_bytes(4, "big") + total.to_bytes(4, "big") + toc
    xing += (0).to_bytes(4, "big")  # quality: unknown
    freq = {32000: 0, 44100: 1, 48000: 2}.get(sample.rate, 0 if sample.rate < 44100 else 3)
    lame = (b"LAME3.100" + bytes([0x01, 0]) + bytes(4) + bytes(4) + bytes([0, min(255, sample.bitrate)])
            + ((delay & 0xFFF) << 12 | (padding & 0xFFF)).to_bytes(3, "big") + bytes([freq << 6, 0]) + bytes(2)
            + total.to_bytes(4, "big"))
    lame += music_crc.to_bytes(2, "big")
    body = bytearray(head + bytes(sample.side_bytes) + xing + lame + bytes(2))
    body += bytes(h.length - len(body))
    tag_crc_at = len(head) + sample.side_bytes + len(xing) + len(lame)
    body[tag_crc_at : tag_crc_at + 2] = crc16(body[:190]).to_bytes(2, "big")  # as ffmpeg: field zero, 190 bytes
    return bytes(body)
