"""A visitor over real HTTP (urllib): cookies kept across servers, forms read from the page.

The cluster runs production settings without TLS on this machine, so its cookies are
Secure; the jar here sends them over plain HTTP anyway, as a browser would over HTTPS.
"""

import http.cookiejar
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser


class _SecureOverHttp(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request) -> bool:
        return True

    def set_ok(self, cookie, request) -> bool:
        return True


@dataclass
class Page:
    status: int
    url: str
    text: str
    headers: dict


class Visitor:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar(policy=_SecureOverHttp())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str, headers: dict | None = None) -> Page:
        return self._open(urllib.request.Request(url, headers=headers or {}))

    def post(self, url: str, fields: list[tuple[str, str]],
             files: dict[str, tuple[str, bytes, str]] | None = None) -> Page:  # fmt: skip
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read()
                return Page(response.status, response.url, body.decode(errors="replace"),
                            dict(response.headers))  # fmt: skip
        except urllib.error.HTTPError as error:
            return Page(error.code, error.url, error.read().decode(errors="replace"),
                        dict(error.headers))  # fmt: skip


def _multipart(fields, files) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())  # fmt: skip
    for name, (filename, content, mimetype) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {mimetype}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _FormReader(HTMLParser):
    """Every form's fields as a browser would send them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.forms[-1]["fields"].append((a["name"], a.get("value", default)))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1]["fields"].append((self._textarea, ""))

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            if not value:  # browsers drop the newline that follows <textarea>
                data = data.removeprefix("\n")
            self.forms[-1]["fields"][-1] = (name, value + data)


def form_fields(html: str, *, action_contains: str = "") -> list[tuple[str, str]]:
    """The fields of the first form whose action contains `action_contains`, or of the
    page's largest form (an admin change form, beside the header's log-out form)."""
    reader = _FormReader()
    reader.feed(html)
    if not action_contains:
        return max(reader.forms, key=lambda form: len(form["fields"]))["fields"]
    for form in reader.forms:
        if action_contains in form["action"]:
            return form["fields"]
    raise LookupError(f"no form with action containing {action_contains!r}")


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())
