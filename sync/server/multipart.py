"""A small multipart/form-data reader (the stdlib email parser), for the template upload.

FastAPI's own form support needs python-multipart, which is not a dependency of this project.
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP

from sync.server.errors import ApiError


def file_part(content_type: str, body: bytes, field: str = "file") -> tuple[str, bytes]:
    """(filename, bytes) of the part named ``field``. Raises ApiError (400/415) when absent or malformed."""
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise ApiError(415, "unsupported_media_type", "请以 multipart/form-data 上传模板文件",
                       "upload the template as multipart/form-data with a part named 'file'")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    try:
        message = BytesParser(policy=HTTP).parsebytes(head + body)
    except Exception as exc:  # the parser is lenient; this guards against the unexpected
        raise ApiError(400, "bad_request", "上传内容格式错误", "malformed multipart body") from exc
    if not message.is_multipart():
        raise ApiError(400, "bad_request", "上传内容格式错误", "malformed multipart body")
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == field:
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                break
            return str(part.get_filename() or "template.xlsx"), payload
    raise ApiError(400, "bad_request", f"缺少文件字段 '{field}'", f"no part named '{field}' in the upload")


def form_parts(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Every part of a multipart/form-data body: name -> (filename or None, bytes)."""
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise ApiError(415, "unsupported_media_type", "请以 multipart/form-data 上传文件",
                       "upload as multipart/form-data with a part named 'file'")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    try:
        message = BytesParser(policy=HTTP).parsebytes(head + body)
    except Exception as exc:
        raise ApiError(400, "bad_request", "上传内容格式错误", "malformed multipart body") from exc
    if not message.is_multipart():
        raise ApiError(400, "bad_request", "上传内容格式错误", "malformed multipart body")
    out: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            filename = part.get_filename()
            out[name] = (str(filename) if filename else None, payload)
    return out
