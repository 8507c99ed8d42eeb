"""The December 2026 extensions of the platform API, and what a terminal does without each.

``GET /v1/health`` names the extensions a platform offers (platform-api.md, "Extensions of
version 1"). A terminal talking to a platform without one keeps working without that
feature and says so to the technician, in the words below. A 404 from an endpoint is never
taken to mean "not offered": prefill, records and sessions answer 404 for "nothing found".
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from civic.text import Text


class Extension(StrEnum):
    SESSIONS = "sessions"
    IDENTITY = "identity"
    RECORDS = "records"
    ASSIST = "assist"
    AHEAD = "ahead"


#: each extension's name for a technician, and what the terminal does without it
WITHOUT: dict[Extension, tuple[Text, Text]] = {
    Extension.SESSIONS: (Text("卡会话", "card sessions"),
                         Text("不读取共享数据，表单由群众自己填写",
                              "no shared data is read; citizens fill in forms themselves")),
    Extension.IDENTITY: (Text("人证核验", "face checks"),
                         Text("需要人证核验的事项只能与本机读卡照片比对，或到大厅办理",
                              "items that need a face check compare with the card's photo "
                              "here only, or are done at a hall")),
    Extension.RECORDS: (Text("核验件", "certified records"),
                        Text("查询打印类事项不能打印核验件",
                             "query-and-print items cannot print a certified record")),
    Extension.ASSIST: (Text("视频帮办", "video help"),
                       Text("不显示“视频求助”按钮", "the 'video help' button is not shown")),
    Extension.AHEAD: (Text("少操心（可办事项、大厅排队、预约）", "thinking ahead (for you, halls, "
                                                          "appointments)"),
                      Text("“为您推荐”和大厅预约不可用",
                           "'For you' and hall appointments are not available")),
}


def extensions_of(names: Iterable[object]) -> frozenset[Extension]:
    """The extensions named in a health answer; names this terminal does not know (a newer
    platform's) are left out."""
    known = {e.value: e for e in Extension}
    return frozenset(known[n] for n in names if isinstance(n, str) and n in known)
