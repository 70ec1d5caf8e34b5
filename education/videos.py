"""Short exercise videos staff upload: checked by their bytes, stored as they are, with captions.

A video plays in the browser's own player (no third-party player, no script), so it must be
a file every browser plays: MP4 with H.264 video (and AAC sound, if any), or WebM. The
upload's name says nothing (a renamed letter can be called band-walk.mp4), so
`check_video` reads the container instead: an MP4's `ftyp` box and the codec of each
track, or a WebM's EBML header and its tracks. The stored name is made here, with the
extension of what the bytes are, so the file is served with the right content type.

Captions are WebVTT. The browser shows cue text as text, never as HTML, but the file is
still rewritten by `clean_captions` to the plain subset patients need (a header, then
timed cues of plain text): notes, styles, regions and every `<tag>` are dropped, so
nothing odd is stored and served from our own address.
"""

import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.utils.crypto import get_random_string

# Brands of the MP4 family browsers play; QuickTime's "qt  " is refused with its own message.
MP4_BRANDS = {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash"}
MP4_VIDEO_CODECS = {"avc1", "avc3"}  # H.264
MP4_AUDIO_CODECS = {"mp4a"}  # AAC
MAX_CAPTION_BYTES = 256 * 1024

EXPORT_HINT = 'Export it as "MP4 (H.264)" or WebM from your video app and try again.'


def max_video_bytes() -> int:
    return settings.EXERCISE_VIDEO_MAX_MB * 1024 * 1024


def _not_a_video() -> ValidationError:
    return ValidationError(
        f"This file is not a video we can play. {EXPORT_HINT}",
        code="not_a_video",
    )


def check_video(upload: File) -> str:
    """The kind of a playable video ("mp4" or "webm"), or a ValidationError that says why not."""
    if upload.size > max_video_bytes():
        raise ValidationError(
            "This video is %(size)d MB; videos can be up to %(max)d MB. Keep it short (under "
            "a minute), export it at 720p and try again.",
            code="video_too_large",
            params={
                "size": -(-upload.size // (1024 * 1024)),
                "max": settings.EXERCISE_VIDEO_MAX_MB,
            },
        )
    upload.seek(0)
    try:
        head = upload.read(16)
        if head[4:8] == b"ftyp":
            _check_mp4(upload)
            return "mp4"
        if head[:4] == b"\x1a\x45\xdf\xa3":
            _check_webm(upload)
            return "webm"
    except (EOFError, ValueError):  # a box or element that runs past the end of the file
        raise _not_a_video() from None
    finally:
        upload.seek(0)
    raise _not_a_video()


# MP4: a sequence of boxes, each `size (4 bytes) type (4 bytes) payload`.


def _boxes(data: File, end: int | None = None):
    """(type, payload start, payload end) of each box from the current position to `end`."""
    while end is None or data.tell() < end:
        start = data.tell()
        header = data.read(8)
        if not header and end is None:
            return
        if len(header) < 8:
            raise EOFError
        size, kind = int.from_bytes(header[:4]), header[4:].decode("latin-1")
        payload = start + 8
        if size == 1:  # a 64-bit size follows
            size, payload = int.from_bytes(_read(data, 8)), start + 16
        elif size == 0:  # to the end of the file
            size = data.seek(0, io.SEEK_END) - start
        if size < payload - start or (end is not None and start + size > end):
            raise ValueError("box size")
        yield kind, payload, start + size
        data.seek(start + size)


def _read(data: File, count: int) -> bytes:
    chunk = data.read(count)
    if len(chunk) < count:
        raise EOFError
    return chunk


def _child(data: File, start: int, end: int, kind: str) -> list[tuple[int, int]]:
    data.seek(start)
    return [(s, e) for k, s, e in list(_boxes(data, end)) if k == kind]


def _check_mp4(upload: File) -> None:
    upload.seek(0)
    boxes = list(_boxes(upload))
    kind, start, end = boxes[0]
    upload.seek(start)
    ftyp = _read(upload, end - start)
    brands = {ftyp[:4].decode("latin-1")} | {
        ftyp[i : i + 4].decode("latin-1") for i in range(8, len(ftyp) - 3, 4)
    }
    if ftyp[:4] == b"qt  ":
        raise ValidationError(
            f"This is a QuickTime (.mov) video, which not every browser plays. {EXPORT_HINT}",
            code="video_format",
        )
    if not brands & MP4_BRANDS:
        raise _not_a_video()
    tracks = [
        track
        for _, moov_start, moov_end in (box for box in boxes if box[0] == "moov")
        for track in _mp4_tracks(upload, moov_start, moov_end)
    ]
    for handler, codec in tracks:
        if (handler == "vide" and codec not in MP4_VIDEO_CODECS) or (
            handler == "soun" and codec not in MP4_AUDIO_CODECS
        ):
            raise ValidationError(
                "This video's %(what)s is coded as “%(codec)s”, which not every browser plays; "
                "browsers play H.264 video with AAC sound. %(hint)s",
                code="video_codec",
                params={
                    "what": "picture" if handler == "vide" else "sound",
                    "codec": codec.strip(),
                    "hint": EXPORT_HINT,
                },
            )
    if not any(handler == "vide" for handler, _ in tracks):
        raise _not_a_video()


def _mp4_tracks(data: File, start: int, end: int) -> list[tuple[str, str]]:
    """(handler, codec) of each track: ("vide", "avc1"), ("soun", "mp4a")..."""
    tracks = []
    for trak in _child(data, start, end, "trak"):
        for mdia in _child(data, *trak, "mdia"):
            handler = ""
            for hdlr_start, _ in _child(data, *mdia, "hdlr"):
                data.seek(hdlr_start + 8)  # version and flags, pre_defined
                handler = _read(data, 4).decode("latin-1")
            for minf in _child(data, *mdia, "minf"):
                for stbl in _child(data, *minf, "stbl"):
                    for stsd_start, stsd_end in _child(data, *stbl, "stsd"):
                        # version and flags, entry count, then one box per sample entry
                        data.seek(stsd_start + 8)
                        tracks += [(handler, kind) for kind, _, _ in _boxes(data, stsd_end)]
    return tracks


# WebM: EBML elements, each `ID (variable length) size (variable length) payload`.

EBML_HEADER, DOC_TYPE = 0x1A45DFA3, 0x4282
SEGMENT, TRACKS, TRACK_ENTRY, CODEC_ID = 0x18538067, 0x1654AE6B, 0xAE, 0x86
CLUSTER = 0x1F43B675
UNKNOWN_SIZE = -1


def _vint(data: File, *, keep_marker: bool) -> int:
    first = _read(data, 1)[0]
    if first == 0:
        raise ValueError("vint")
    length = 9 - first.bit_length()
    value = first if keep_marker else first & (0xFF >> length)
    rest = _read(data, length - 1)
    for byte in rest:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return UNKNOWN_SIZE
    return value


def _elements(data: File, end: int | None):
    """(id, payload start, payload end or None for an unknown size) up to `end`."""
    while end is None or data.tell() < end:
        element = _vint(data, keep_marker=True)
        size = _vint(data, keep_marker=False)
        start = data.tell()
        stop = None if size == UNKNOWN_SIZE else start + size
        if stop is not None and end is not None and stop > end:
            raise ValueError("element size")
        yield element, start, stop
        if stop is None:  # a master element of unknown size: its children follow
            continue
        data.seek(stop)


def _check_webm(upload: File) -> None:
    upload.seek(0)
    elements = _elements(upload, None)
    element, start, stop = next(elements)
    if element != EBML_HEADER or stop is None:
        raise _not_a_video()
    upload.seek(start)
    doc_type = b""
    for child, child_start, child_stop in _elements(upload, stop):
        if child == DOC_TYPE and child_stop is not None:
            upload.seek(child_start)
            doc_type = _read(upload, child_stop - child_start).rstrip(b"\x00")
    if doc_type != b"webm":
        raise _not_a_video()
    upload.seek(stop)
    codecs = _webm_codecs(upload)
    if not any(codec.startswith("V_") for codec in codecs):
        raise _not_a_video()


def _webm_codecs(data: File) -> list[str]:
    """The CodecID of each track ("V_VP9", "A_OPUS"...), from the segment's Tracks element."""
    for element, start, stop in _elements(data, None):
        if element == SEGMENT:
            data.seek(start)
            for child, child_start, child_stop in _elements(data, stop):
                if child == CLUSTER:  # the picture data: the tracks come before it
                    return []
                if child == TRACKS and child_stop is not None:
                    return _track_codecs(data, child_start, child_stop)
            return []
    return []


def _track_codecs(data: File, start: int, stop: int) -> list[str]:
    codecs = []
    data.seek(start)
    entries = [(s, e) for kind, s, e in list(_elements(data, stop)) if kind == TRACK_ENTRY]
    for entry_start, entry_stop in entries:
        if entry_stop is None:
            continue
        data.seek(entry_start)
        for kind, s, e in list(_elements(data, entry_stop)):
            if kind == CODEC_ID and e is not None:
                data.seek(s)
                codecs.append(_read(data, e - s).decode("ascii", "replace"))
    return codecs


def store_video(*, upload: File, folder: str, storage: Storage) -> str:
    """Save a checked upload to `storage`, named by what its bytes are; return the stored name."""
    kind = check_video(upload)
    upload.seek(0)
    name = f"{folder.rstrip('/')}/{get_random_string(10).lower()}.{kind}"
    return storage.save(name, upload)


# Captions


@dataclass(frozen=True)
class Cue:
    timing: str
    lines: tuple[str, ...]


TIMESTAMP = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
TIMING = re.compile(
    rf"^(?P<start>{TIMESTAMP})[ \t]+-->[ \t]+(?P<end>{TIMESTAMP})(?P<settings>[ \t].*)?$"
)
CUE_SETTING = re.compile(r"^(vertical|line|position|size|align):[\w.%,-]+$")
TAG = re.compile(r"<[^>\n]*>?")


def _seconds(timestamp: str) -> float:
    *hours, minutes, seconds = timestamp.split(":")
    return int(hours[0] if hours else 0) * 3600 + int(minutes) * 60 + float(seconds)


def _broken(message: str, **params) -> ValidationError:
    return ValidationError(message, code="captions_invalid", params=params)


def clean_captions(upload: File) -> str:
    """The captions file rewritten as plain WebVTT, or a ValidationError that says what to fix."""
    if upload.size > MAX_CAPTION_BYTES:
        raise ValidationError(
            "This captions file is %(size)d KB; captions for a short video are up to %(max)d "
            "KB. Check that you chose the captions (.vtt) file.",
            code="captions_too_large",
            params={"size": upload.size // 1024, "max": MAX_CAPTION_BYTES // 1024},
        )
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "This captions file is not saved as UTF-8 text. Save it as UTF-8 (WebVTT, .vtt) "
            "and try again.",
            code="captions_encoding",
        ) from None
    if "\x00" in text:
        raise _broken("This captions file holds binary data, not text. Upload a WebVTT file.")
    blocks = re.split(r"\n{2,}", text.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    header = blocks[0].split("\n")[0]
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", header):
        raise _broken(
            'A captions file starts with the line "WEBVTT". Upload the WebVTT (.vtt) file '
            "your captioning tool made (not .srt or a Word file)."
        )
    cues = [cue for block in blocks[1:] if (cue := _cue(block))]
    if not cues:
        raise _broken(
            "This captions file has no captions in it. Each caption is a time line such as "
            '"00:00:01.000 --> 00:00:04.000" followed by its text.'
        )
    return "WEBVTT\n\n" + "\n\n".join("\n".join((cue.timing, *cue.lines)) for cue in cues) + "\n"


def _cue(block: str) -> Cue | None:
    """A cue's timing and its text without tags; None for a note, style or region block."""
    lines = block.split("\n")
    if re.match(r"^(NOTE|STYLE|REGION)(?:[ \t]|$)", lines[0]):
        return None
    if "-->" not in lines[0]:  # the optional cue identifier
        lines = lines[1:]
    if not lines or not (timing := TIMING.match(lines[0].strip())):
        raise _broken(
            'This caption’s time line is not in the WebVTT form "00:00:01.000 --> '
            '00:00:04.000": “%(line)s”.',
            line=(lines[0] if lines else block)[:80],
        )
    if _seconds(timing["end"]) <= _seconds(timing["start"]):
        raise _broken(
            "A caption ends before it starts: “%(line)s”. Check its times.", line=lines[0][:80]
        )
    cue_settings = [s for s in (timing["settings"] or "").split() if CUE_SETTING.match(s)]
    text = [TAG.sub("", line).replace("-->", "→").strip() for line in lines[1:]]
    text = [line for line in text if line]
    if not text:
        return None
    return Cue(
        timing=" ".join([timing["start"], "-->", timing["end"], *cue_settings]), lines=tuple(text)
    )


def store_captions(*, upload: File, folder: str, storage: Storage) -> str:
    """Save an upload's captions, cleaned, to `storage` as a .vtt file; return the stored name."""
    name = f"{folder.rstrip('/')}/{get_random_string(10).lower()}.vtt"
    return storage.save(name, ContentFile(clean_captions(upload).encode("utf-8")))
