"""Request bodies: how long a request may be, and each file in it, enforced before and while it streams.

Every page that takes files says so with `@accepts_uploads(file_bytes, files=1)` (`file_bytes` a number,
or a function giving it from the settings on each request). Then:

- `RequestSizeMiddleware` (before CSRF, which is the first to read a POST) compares the request's
  Content-Length with what the page takes — its files plus DATA_UPLOAD_MAX_MEMORY_SIZE for the form
  fields, and never more than REQUEST_MAX_BYTES; a page without files takes the fields only — and
  answers a longer request with a page saying so (413) before reading one byte of it. It then
  reads the form itself, so that Django's own refusals (too many fields or files, fields too long)
  are a page saying so too, not a bare "Bad Request".
- `LimitedUploadHandler` (the only FILE_UPLOAD_HANDLERS entry) keeps each file while it streams in,
  in memory for a small request (FILE_UPLOAD_MAX_MEMORY_SIZE) or in a temporary file, and counts
  it. Once a file passes its page's limit, what came is thrown away and the rest of it only
  counted; the form receives a `TooLargeUpload` with the real size and no content, so the page's
  own size check names the file and its size. Nothing past the limit is kept, and nothing past the
  page's Content-Length limit is read.

The proxy in front (docs/deploy.md) refuses bodies over REQUEST_MAX_BYTES before they reach us.
"""

import dataclasses
import io
import os

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from volnet.http import safe_next

MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class UploadLimit:
    file_bytes: int  # each file
    files: int = 1  # how many files the page takes at once

    @property
    def request_bytes(self):
        """The longest body the page takes: its files and its form fields, within REQUEST_MAX_BYTES."""
        return min(self.file_bytes * self.files + settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.REQUEST_MAX_BYTES)


def default_limit():
    """A page that declares no uploads: its body is form fields, and a stray file fits in them."""
    return UploadLimit(file_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE, files=0)


def accepts_uploads(file_bytes, files=1):
    """Mark a view as taking up to `files` files of at most `file_bytes` each (or `file_bytes()`, asked on
    each request, so that a limit from the settings is read then and not when the views are imported)."""

    def limit():
        return UploadLimit(file_bytes=file_bytes() if callable(file_bytes) else file_bytes, files=files)

    def decorator(view):
        view.upload_limit = limit
        return view

    return decorator


def megabytes(size):
    return f"{size / MIB:.1f}"


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        limit = view.upload_limit() if hasattr(view, "upload_limit") else default_limit()
        request.upload_limit = limit
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        allowed = limit.request_bytes
        if length > allowed:
            return refusal(request, 413, _("這次送出的資料有 %(size)s MB，這個頁面最多接受 %(limit)s MB。"
                                           "請縮小檔案或分幾次上傳，再試一次。")
                           % {"size": megabytes(length), "limit": megabytes(allowed)})
        if request.method == "POST" and length:
            try:
                request.POST  # noqa: B018 - read the form now, so Django's refusals become a page
            except RequestDataTooBig:
                return refusal(request, 413, _("這次送出的欄位內容太長，請縮短後再送出。"))
            except TooManyFieldsSent:
                return refusal(request, 400, _("一次送出的欄位太多（最多 %(limit)s 個），請分幾次送出。")
                               % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})
            except TooManyFilesSent:
                return refusal(request, 400, _("一次上傳的檔案太多（最多 %(limit)s 個），請分幾次上傳。")
                               % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES})
            except MultiPartParserError:
                return refusal(request, 400, _("上傳的資料不完整或格式不對，請重新選擇檔案後再送出。"))
            except UnreadablePostError:
                pass  # the client went away mid-body: as before, the CSRF check refuses the empty form
        return None


def refusal(request, status, message):
    back = safe_next(request, request.META.get("HTTP_REFERER"), "/")
    return render(request, "upload_refused.html", {"message": message, "back": back, "status_code": status},
                  status=status)


class TooLargeUpload(UploadedFile):
    """A file dropped because it passed its page's limit: its name and real size, no content."""

    too_large = True

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class LimitedUploadHandler(FileUploadHandler):
    """Keeps each uploaded file up to its page's limit; past it, only counts (see the module)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.in_memory = content_length <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        limit = getattr(self.request, "upload_limit", None) or default_limit()
        self.limit = limit.file_bytes

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.dropped = False
        if self.in_memory:
            self.file = io.BytesIO()
        else:
            self.file = TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset,
                                              self.content_type_extra)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.dropped:
            return None
        if self.received > self.limit:
            self.dropped = True
            self._discard()
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.dropped:
            return TooLargeUpload(self.file_name, self.content_type, self.received, self.charset,
                                  self.content_type_extra)
        self.file.seek(0)
        if self.in_memory:
            return InMemoryUploadedFile(file=self.file, field_name=self.field_name, name=self.file_name,
                                        content_type=self.content_type, size=file_size, charset=self.charset,
                                        content_type_extra=self.content_type_extra)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self):
        if getattr(self, "file", None) is not None and not self.dropped:
            self._discard()

    def _discard(self):
        """Close the partial file; a temporary one is deleted with it."""
        path = self.file.temporary_file_path() if hasattr(self.file, "temporary_file_path") else None
        self.file.close()
        if path:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
